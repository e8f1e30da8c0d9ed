/// Where a batch that runs in slices (`BatchSlicing`) runs whole again.
///
/// Slices keep a network's large early activations in the cache, but each slice reads the weights again. Late
/// layers often have it the other way round: ResNet-50's last stage holds 59 of its 100 MB of weights and the
/// classifier 8 more, against about 3 MB of values per image. The tail of the graph from such a point on runs
/// on the whole batch, once, after the slices: its weights are read once per batch, and its larger GEMMs use
/// them better (at batch 16 the classifier is one GEMM instead of 16 vector products, and layer 4's 3×3
/// convolutions have tiles enough for Winograd).
enum BatchTail {
    /// How many more bytes of weights than bytes of values per item a tail must read to run whole. Measured on
    /// ResNet-50 at batch 16, 2 threads: from layer 4 on (27×) the tail gains 3 % over slicing every node; from
    /// layer 3 on (8.6×), its 1×1 convolutions lose more to values that leave the L2 cache than the weights gain.
    /// The whole graph counts as a tail: a model whose weights outweigh its values that much runs whole.
    static let weightsPerItemValues = 24

    /// Where a tail starts: the index (in `nodes`) of its first node, and the values it reads from the nodes before
    /// it (`crossing`; none when the tail is the whole graph).
    struct Start: Equatable {
        let index: Int
        let crossing: [String]
    }

    /// The longest tail worth running whole (from the first node that runs: the whole graph), nil when none is:
    /// a tail whose weights take at least `weightsPerItemValues` times the bytes of the values it makes per item
    /// and more than the last-level cache holds (weights that fit there cost slices nothing), and which reads from
    /// the nodes before it only values they compute at run time with the batch as axis 0 (`crossing`), and the
    /// graph inputs. `weightBytes` gives the bytes a run reads of an initializer.
    static func start(_ inference: Planner.Inference, nodes: [Node], graph: Graph, batch: Int,
                      weightBytes: (String) -> Int, lastLevelCache: Int) -> Start? {
        let runs = Set(inference.pending.map(\.index))
        // A tail from node i reads an initializer when the initializer's last reader is at i or after: suffix sums
        // of the bytes each node makes and of the weights whose last reader it is.
        var lastReader: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for name in node.inputs where graph.initializers[name] != nil { lastReader[name] = index }
        }
        var valueBytesFrom = [Int](repeating: 0, count: nodes.count + 1)
        var weightBytesFrom = [Int](repeating: 0, count: nodes.count + 1)
        for (name, index) in lastReader { weightBytesFrom[index] += weightBytes(name) }
        for index in nodes.indices.reversed() {
            let made = runs.contains(index) ? nodes[index].outputs.reduce(0) { total, name in
                inference.specs[name].map { total + $0.count * ($0.dataType.byteSize ?? 0) } ?? total
            } : 0
            valueBytesFrom[index] = valueBytesFrom[index + 1] + made
            weightBytesFrom[index] += weightBytesFrom[index + 1]
        }
        let first = inference.pending.first?.index
        for index in nodes.indices where runs.contains(index) {
            let weights = weightBytesFrom[index]
            guard weights > lastLevelCache, weights >= weightsPerItemValues * valueBytesFrom[index] / batch else { continue }
            if index == first { return Start(index: index, crossing: []) }
            if let crossing = crossing(inference, nodes: nodes, graph: graph, start: index, batch: batch) {
                return Start(index: index, crossing: crossing)
            }
        }
        return nil
    }

    /// The values the tail from `start` reads from the nodes before it, when every one is computed at run time
    /// with `batch` items along axis 0, and no graph output comes from before `start`; else nil.
    private static func crossing(_ inference: Planner.Inference, nodes: [Node], graph: Graph, start: Int, batch: Int) -> [String]? {
        var madeBefore = Set<String>()
        for node in nodes[..<start] { madeBefore.formUnion(node.outputs.filter { !$0.isEmpty }) }
        guard !graph.outputs.contains(where: { madeBefore.contains($0.name) }) else { return nil }
        var crossing: [String] = []
        for node in nodes[start...] {
            for name in node.inputs where madeBefore.contains(name) && !crossing.contains(name) {
                guard let spec = inference.specs[name], spec.value == nil, spec.shape.first == batch else { return nil }
                crossing.append(name)
            }
        }
        return crossing.isEmpty ? nil : crossing
    }
}

/// Part of a session's graph, planned on its own: the nodes in order with their operators, and a graph that
/// holds the session's initializers and gives the part's inputs and outputs.
struct GraphSegment {
    let graph: Graph
    let nodes: [Node]
    let operators: [Operator]

    /// The head (nodes before `start`, which outputs the tail's `crossing` values) and the tail (the rest, which
    /// reads them and the graph inputs) of `graph`, whose nodes are `nodes` run by `operators`.
    static func split(_ graph: Graph, nodes: [Node], operators: [Operator], at start: Int, crossing: [String],
                      specs: [String: ValueSpec]) -> (head: GraphSegment, tail: GraphSegment) {
        let carried = crossing.map { name in
            ValueInfo(name: name, dataType: specs[name]?.dataType ?? .undefined, shape: nil)
        }
        var head = graph, tail = graph
        head.nodes = Array(nodes[..<start])
        head.outputs = carried
        tail.nodes = Array(nodes[start...])
        tail.inputs = graph.inputs + carried
        return (GraphSegment(graph: head, nodes: head.nodes, operators: Array(operators[..<start])),
                GraphSegment(graph: tail, nodes: tail.nodes, operators: Array(operators[start...])))
    }

    /// A planner for this part on `context`.
    func planner(_ context: KernelContext) -> Planner {
        Planner(graph: graph, nodes: nodes, operators: operators, context: context)
    }
}
