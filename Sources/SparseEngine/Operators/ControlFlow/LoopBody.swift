import Foundation

/// The body of a `Loop` or `Scan`: a graph run once per iteration, whose inputs are the iteration's values (in
/// the order the body declares them) followed by the outer-scope values it reads (`Node.capturesAttribute`).
///
/// An input is invariant when every iteration sees the same tensor: a captured value, or a loop-carried value the
/// body returns as it came (exporters pass weights through loops that way). Invariant inputs known while planning
/// are constants of the body's plans, so what the body computes from them is folded once. Every other input
/// varies; its contents are read while planning only where they decide shapes (a slice at the iteration number),
/// the plan checks those shapes before each iteration (`Plan.ShapeChange`), and an iteration the plan does not
/// fit gets a plan of its own. Plans are kept per shape of the body's inputs, so an iteration costs a plan's run.
final class LoopBody {
    /// Plans for one set of invariant inputs known while planning.
    final class Plans {
        /// Body input position → its value, for the invariant inputs known while planning.
        let known: [Int: Tensor]
        /// Plans by the shapes of the body's inputs, the last one that fitted first.
        var byShapes: [[[Int]]: [Plan]] = [:]

        init(known: [Int: Tensor]) { self.known = known }

        /// True when `inputs` hold the known values (the same tensors, or equal contents).
        func matches(_ inputs: [Tensor]) -> Bool {
            known.allSatisfy { position, value in
                let actual = inputs[position]
                guard actual.dataType == value.dataType, actual.shape == value.shape else { return false }
                return actual.rawPointer == value.rawPointer || actual.withUnsafeBytes { a in value.withUnsafeBytes { a.elementsEqual($0) } }
            }
        }
    }

    /// The body graph; its inputs are the declared ones, then the captured ones.
    let graph: Graph
    /// How many inputs the body declares (the captured ones follow).
    let declaredInputCount: Int
    /// For each captured input of the graph, its position among the node's captured values.
    let capturePositions: [Int]
    /// Body input positions that hold the same tensor in every iteration.
    let invariantInputs: Set<Int>
    private let operators: [Operator]
    /// Body inputs whose contents decide shapes inside the body.
    private let shapeInputs: Set<String>
    private let c: OpContext
    private let lock = NSLock()
    private var planSets: [Plans] = []
    private var runs = 0
    /// A body runs at most this many plans for one input shape before it plans again (values that keep changing
    /// the body's inner shapes would otherwise make every iteration try every earlier plan).
    private let plansPerShape = 8
    /// Plans whose values take at most this many bytes run on one thread: their operators are small (a recurrent
    /// cell, a decoder step), and handing each to the pool, once per operator per iteration, costs more than it
    /// saves; on a busy machine, a worker the OS preempts holds every iteration up for a time slice.
    private let oneThreadArenaBytes = 2 << 20
    /// One-thread contexts (`KernelContext.stream`) by the context of the run they serve.
    private var oneThreadContexts: [ObjectIdentifier: KernelContext] = [:]
    /// Evaluates body nodes whose inputs are all known while planning (no kernel context is handed to planning).
    private let planningContext = KernelContext(pool: ThreadPool(threads: 1))

    /// Reads the GRAPH attribute `attribute` of `c.node`. `carried` pairs each loop-carried input of the body with
    /// the output that feeds it to the next iteration (by position).
    init(_ c: OpContext, attribute: String, carried: [(input: Int, output: Int)]) throws {
        self.c = c
        guard case .graph(var graph)? = c.node.attributes[attribute] else {
            throw c.error(.invalidModel, "attribute '\(attribute)' must be a GRAPH")
        }
        let captured = c.node.capturedNames
        let reads = graph.outerScopeReads
        capturePositions = try reads.map { read in
            guard let position = captured.firstIndex(of: read) else {
                throw c.error(.internalError, "the body reads '\(read)', which the node does not capture")
            }
            return position
        }
        declaredInputCount = graph.inputs.count
        graph.inputs += reads.map { ValueInfo(name: $0, dataType: .undefined, shape: nil) }
        graph.nodes = try graph.topologicallySorted()
        for pair in carried where pair.input < graph.inputs.count && pair.output < graph.outputs.count {
            let input = graph.inputs[pair.input].name
            if graph.unchangedInput(of: graph.outputs[pair.output].name, opset: c.opset) == input { graph.outputs[pair.output].name = input }
        }
        _ = try DeadCodeElimination().apply(to: &graph, opsets: ["": c.opset], context: KernelContext(pool: ThreadPool(threads: 1)))
        let passedThrough = carried.filter { pair in
            pair.input < graph.inputs.count && pair.output < graph.outputs.count
                && graph.outputs[pair.output].name == graph.inputs[pair.input].name
        }
        invariantInputs = Set(passedThrough.map(\.input)).union(declaredInputCount..<graph.inputs.count)
        let opsets = ["": c.opset]
        operators = try graph.nodes.map { try OperatorRegistry.make($0, opsets: opsets) }
        shapeInputs = planTimeGraphInputs(graph, nodes: graph.nodes, operators: operators)
        self.graph = graph
    }

    /// The body's inputs in order: `declared` (one per declared input), then the node's `captured` values it reads.
    func inputs<T>(declared: [T], captured: [T]) -> [T] {
        declared + capturePositions.map { captured[$0] }
    }

    /// The body's output specs for one iteration's input specs (in body input order). Contents of varying inputs
    /// are used where they decide shapes, or everywhere with `keepingValues` (to follow a condition while planning).
    func inferOutputs(_ inputs: [ValueSpec], keepingValues: Bool) throws -> [ValueSpec] {
        let (shapes, values, varying) = planningInputs(inputs.map { ($0.dataType, $0.shape, $0.value) }, known: nil, keepingValues: keepingValues)
        let planner = Planner(graph: graph, nodes: graph.nodes, operators: operators, context: planningContext)
        let inference = try planner.infer(inputShapes: shapes, inputValues: values, varying: varying)
        return graph.outputs.map { inference.specs[$0.name]! }
    }

    /// Records the invariant inputs known while planning (from one outer signature), so runs with those values fold them.
    func register(_ inputs: [ValueSpec]) {
        var known: [Int: Tensor] = [:]
        for position in invariantInputs where position < inputs.count { known[position] = inputs[position].value }
        lock.lock()
        defer { lock.unlock() }
        let seen = planSets.contains { plans in
            plans.known.count == known.count && known.allSatisfy { plans.known[$0.key]?.rawPointer == $0.value.rawPointer }
        }
        if !seen { planSets.append(Plans(known: known)) }
    }

    /// The plans for a run whose first iteration has these inputs: those made for its known invariant values, or
    /// (for values not seen while planning) plans that fold nothing the iterations feed.
    func plans(for inputs: [Tensor]) -> Plans {
        lock.lock()
        defer { lock.unlock() }
        if let plans = planSets.last(where: { $0.matches(inputs) }) { return plans }
        let plans = Plans(known: [:])
        planSets.append(plans)
        return plans
    }

    /// A number for one run of the loop (all its iterations), so the body's plans run their hoisted nodes once in it.
    func startRun() -> Int {
        lock.lock()
        defer { lock.unlock() }
        runs += 1
        return runs
    }

    /// Runs one iteration of loop run `run` (`startRun`) and returns the body's outputs uncopied (see `Plan.run`):
    /// valid until the next iteration.
    func run(_ inputs: [Tensor], plans: Plans, run: Int, context: KernelContext) throws -> [Tensor] {
        var feeds: [String: Tensor] = [:]
        for (info, tensor) in zip(graph.inputs, inputs) { feeds[info.name] = tensor }
        let shapes = inputs.map(\.shape)
        lock.lock()
        let candidates = plans.byShapes[shapes] ?? []
        lock.unlock()
        for (rank, plan) in candidates.enumerated() {
            do {
                let outputs = try plan.run(feeds, context: iterationContext(plan, context), hoistedRun: run)
                if rank > 0 { promote(rank, shapes, plans) }
                return outputs
            } catch is Plan.ShapeChange {
                continue
            }
        }
        let (inputShapes, values, varying) = planningInputs(inputs.map { ($0.dataType, $0.shape, $0) }, known: plans.known, keepingValues: false)
        let planner = Planner(graph: graph, nodes: graph.nodes, operators: operators, context: context)
        let plan = try planner.plan(inputShapes: inputShapes, inputValues: values, varying: varying)
        lock.lock()
        plans.byShapes[shapes] = [plan] + (plans.byShapes[shapes] ?? []).prefix(plansPerShape - 1)
        lock.unlock()
        do {
            return try plan.run(feeds, context: iterationContext(plan, context), hoistedRun: run)
        } catch is Plan.ShapeChange {
            throw c.error(.internalError, "the body's plan for this iteration's values does not fit them")
        }
    }

    /// The context `plan` runs on in a run on `context`: a one-thread one for small plans.
    private func iterationContext(_ plan: Plan, _ context: KernelContext) -> KernelContext {
        guard context.pool.threadCount > 1, plan.arenaBytes <= oneThreadArenaBytes else { return context }
        lock.lock()
        defer { lock.unlock() }
        if let single = oneThreadContexts[ObjectIdentifier(context)] { return single }
        let single = context.stream()
        oneThreadContexts[ObjectIdentifier(context)] = single
        return single
    }

    /// Moves the plan at `rank` to the front of its list.
    private func promote(_ rank: Int, _ shapes: [[Int]], _ plans: Plans) {
        lock.lock()
        defer { lock.unlock() }
        guard var list = plans.byShapes[shapes], rank < list.count else { return }
        list.insert(list.remove(at: rank), at: 0)
        plans.byShapes[shapes] = list
    }

    /// The planner's inputs: every body input's type and shape; the contents of invariant inputs that are known
    /// (`known`, or the given ones when nil) as constants; those of varying inputs where they decide shapes (or all
    /// with `keepingValues`), named in `varying`. Nodes that read only invariant inputs and constants are hoisted:
    /// they run once per run of the loop (`Plan.run(hoistedRun:)`).
    private func planningInputs(_ inputs: [(DataType, [Int], Tensor?)], known: [Int: Tensor]?, keepingValues: Bool)
        -> (shapes: [String: (DataType, [Int])], values: [String: Tensor], varying: Set<String>) {
        var shapes: [String: (DataType, [Int])] = [:]
        var values: [String: Tensor] = [:]
        var varying = Set<String>()
        for (position, (info, (type, shape, value))) in zip(graph.inputs, inputs).enumerated() {
            shapes[info.name] = (type, shape)
            let invariant = invariantInputs.contains(position)
            if invariant, let constant = known.map({ $0[position] }) ?? value {
                values[info.name] = constant
            } else if !invariant || shapeInputs.contains(info.name) {
                // Shapes read from an invariant input not known while planning are checked like varying ones.
                varying.insert(info.name)
                if keepingValues || shapeInputs.contains(info.name) { values[info.name] = value }
            }
        }
        return (shapes, values, varying)
    }
}
