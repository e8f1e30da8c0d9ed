/// Runs a graph whose nodes include operators with output shapes that depend on values computed while running
/// (`ValueShapedOperator`: NonMaxSuppression, Compress, Unique).
///
/// Per input signature, planning stops at the first such node whose inputs are not known while planning. A run
/// then executes the plan of the nodes before it, evaluates that node on their values, and hands the values the
/// later nodes read (and graph outputs already made) to the rest of the graph: another `StagedGraph`, planned once
/// per shape of what it is given, so a detector's post-processing after NonMaxSuppression plans once per number of
/// boxes kept. Not thread-safe: the session serializes runs.
final class StagedGraph {
    private let segment: GraphSegment
    private let context: KernelContext
    /// Inputs whose contents decide shapes in this part; their values key the stages too.
    private let planTimeInputs: Set<String>
    private var stages: [[[Int]]: Stage] = [:]

    private enum Stage {
        /// Nothing left whose shapes depend on running values: one plan.
        case whole(Plan)
        /// The nodes before `node`, then `node` evaluated on values (`known`: those fixed while planning), then `rest`.
        case split(head: Plan, node: Int, known: [String: Tensor], rest: StagedGraph)
    }

    init(_ segment: GraphSegment, context: KernelContext) {
        self.segment = segment
        self.context = context
        planTimeInputs = planTimeGraphInputs(segment.graph, nodes: segment.nodes, operators: segment.operators)
    }

    /// True when some operator of `operators` has output shapes that depend on its inputs' contents.
    static func needed(_ operators: [Operator]) -> Bool {
        operators.contains { $0 is ValueShapedOperator }
    }

    /// Runs the graph on `feeds` (one tensor per graph input, already checked) and returns the graph outputs.
    func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        switch try stage(for: feeds) {
        case .whole(let plan):
            return try plan.execute(feeds, context: context)
        case .split(let head, let index, let known, let rest):
            var values = feeds.merging(try head.execute(feeds, context: context)) { $1 }
            let node = segment.nodes[index]
            let inputs = node.inputs.map { $0.isEmpty ? nil : known[$0] ?? values[$0] }
            let outputs = try attributingErrors(to: node) {
                try (segment.operators[index] as! ValueShapedOperator).evaluate(inputs)
            }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty { values[name] = value }
            return try rest.run(values.filter { name, _ in rest.segment.graph.inputs.contains { $0.name == name } })
        }
    }

    /// The stage for these feeds' shapes (and plan-time contents), made on first use.
    private func stage(for feeds: [String: Tensor]) throws -> Stage {
        let inputs = segment.graph.inputs.map(\.name)
        let key = inputs.flatMap { name in
            [feeds[name]!.shape] + (planTimeInputs.contains(name) ? [feeds[name]!.withUnsafeBytes { $0.map(Int.init) }] : [])
        }
        if let known = stages[key] { return known }
        var shapes: [String: (DataType, [Int])] = [:]
        for name in inputs { shapes[name] = (feeds[name]!.dataType, feeds[name]!.shape) }
        let planner = segment.planner(context)
        let values = feeds.filter { planTimeInputs.contains($0.key) }
        let inference = try planner.infer(inputShapes: shapes, inputValues: values, stopsAtValueShapedNodes: true)
        let stage: Stage
        if let stop = inference.stop {
            let (head, rest) = split(at: stop, inference.specs)
            let known = inference.specs.compactMapValues(\.value)
            stage = .split(head: try head.planner(context).plan(inputShapes: shapes, inputValues: values), node: stop,
                           known: known.filter { segment.nodes[stop].inputs.contains($0.key) },
                           rest: StagedGraph(rest, context: context))
        } else {
            stage = .whole(try planner.plan(inference, inputShapes: shapes))
        }
        stages[key] = stage
        return stage
    }

    /// The nodes before `stop`, whose outputs are the values made there that node `stop`, the nodes after it or the
    /// graph's outputs read; and the nodes after `stop`, which take those values and `stop`'s outputs as inputs
    /// (values fixed while planning become initializers of the rest instead).
    private func split(at stop: Int, _ specs: [String: ValueSpec]) -> (head: GraphSegment, rest: GraphSegment) {
        let graph = segment.graph
        var madeBefore = Set<String>()
        for node in segment.nodes[..<stop] { madeBefore.formUnion(node.outputs.filter { !$0.isEmpty }) }
        let read = segment.nodes[stop...].flatMap(\.inputs) + graph.outputs.map(\.name)
        var carried: [ValueInfo] = [], constants: [String: Tensor] = [:]
        var seen = Set<String>()
        for name in read where madeBefore.contains(name) && seen.insert(name).inserted {
            if let value = specs[name]?.value {
                constants[name] = value
            } else {
                carried.append(ValueInfo(name: name, dataType: specs[name]?.dataType ?? .undefined, shape: nil))
            }
        }
        var head = graph, rest = graph
        head.nodes = Array(segment.nodes[..<stop])
        head.outputs = carried
        rest.nodes = Array(segment.nodes[(stop + 1)...])
        let made = segment.nodes[stop].outputs.filter { !$0.isEmpty }
        rest.inputs = graph.inputs + carried + made.map { ValueInfo(name: $0, dataType: .undefined, shape: nil) }
        rest.initializers.merge(constants) { $1 }
        return (GraphSegment(graph: head, nodes: head.nodes, operators: Array(segment.operators[..<stop])),
                GraphSegment(graph: rest, nodes: rest.nodes, operators: Array(segment.operators[(stop + 1)...])))
    }
}
