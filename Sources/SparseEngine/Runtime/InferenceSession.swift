import Foundation

/// Runs an `ONNXModel`.
///
/// Creating a session optimizes a copy of the graph (constant folding, BatchNorm folding,
/// activation fusion, dead-code elimination) and checks that every operator is supported.
/// The first `run` for a given set of input shapes builds a `Plan` (shapes resolved, shape
/// sub-graphs evaluated, one arena laid out by value lifetimes); later runs with the same
/// shapes reuse it. Runs on one session are serialized; use one session per concurrent caller.
///
/// ```swift
/// let session = try InferenceSession(model: model, options: .init(threads: 2))
/// let outputs = try session.run(["input": try Tensor(shape: [1, 3, 224, 224], scalars: pixels)])
/// ```
public final class InferenceSession: @unchecked Sendable {
    /// Session settings.
    public struct Options: Sendable {
        /// Threads used by kernels, the calling thread included (`-ncores`).
        public var threads: Int
        /// Run the graph optimization passes.
        public var optimize: Bool
        /// Run layers whose weights are mostly zeros on sparse kernels (needs `optimize`). `ZOO_SPARSE=0`
        /// in the environment turns it off by default.
        public var sparseKernels: Bool
        /// Before anything else, set this share of each Conv/Gemm/MatMul weight to zero, smallest
        /// magnitudes first (`zoo bench --sparsify`): what pruning to that sparsity would buy.
        public var sparsify: Double?
        /// The most bytes a batch's intermediate values may take before the batch runs in slices that fit
        /// (`BatchSlicing`, for graphs that keep batch items apart); nil never slices. Default: a quarter of the
        /// last-level cache; `ZOO_BATCH_SLICING` in the environment sets it in MiB (0 turns slicing off).
        public var sliceBudget: Int?
        /// The last-level cache's bytes: weights that fit in it do not keep a batch whole.
        public var lastLevelCache: Int
        /// Run a sliced batch's slices side by side, one per thread (`BatchStreams`), rather than one after
        /// another on all threads. `ZOO_BATCH_STREAMS=0` in the environment turns it off by default.
        public var batchStreams: Bool

        /// Defaults: all active processors, optimizations and sparse kernels on, no pruning, large batches
        /// sliced to fit this machine's cache.
        public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, optimize: Bool = true,
                    sparseKernels: Bool = ProcessInfo.processInfo.environment["ZOO_SPARSE"] != "0", sparsify: Double? = nil,
                    sliceBudget: Int? = BatchSlicing.environmentBudget, lastLevelCache: Int = BatchSlicing.lastLevelCache,
                    batchStreams: Bool = ProcessInfo.processInfo.environment["ZOO_BATCH_STREAMS"] != "0") {
            self.threads = max(1, threads)
            self.optimize = optimize
            self.sparseKernels = sparseKernels
            self.sparsify = sparsify
            self.sliceBudget = sliceBudget
            self.lastLevelCache = lastLevelCache
            self.batchStreams = batchStreams
        }
    }

    /// Inputs the caller must feed, with declared types and (possibly symbolic) shapes.
    public let inputs: [ValueInfo]
    /// Outputs `run` returns.
    public let outputs: [ValueInfo]
    /// The options the session was created with.
    public let options: Options
    /// The instruction set the kernels use (`avx512`, `avx2`, `scalar`).
    public var isa: String { CPUFeatures.current.isaName }
    /// Nodes left after optimization.
    public var nodeCount: Int { nodes.count }
    /// What the passes did and how the session runs: ISA, kernels, threads, weight sparsity.
    public let summary: SessionSummary
    /// Bytes of weights the session holds: its constants (compressed ones included) and the packed copies
    /// the dense GEMM made of them so far (all of them after one run).
    public var weightBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return graph.initializers.values.reduce(0) { $0 + $1.byteCount } + context.gemmWorkspace.packedBytes
    }

    private let graph: Graph
    private let nodes: [Node]
    private let operators: [Operator]
    /// Inputs whose contents decide shapes (e.g. a Reshape target fed by the caller); their values key the plans too.
    private let planTimeInputs: Set<String>
    private let context: KernelContext
    /// The default-domain opset, for operators whose defaults changed between opsets.
    private let opset: Int
    private var plans: [[[Int]]: Plan] = [:]
    /// How each input signature's batch runs (whole when `items == batch`).
    private var slicings: [[[Int]]: BatchSlicing] = [:]
    /// The streams that run sliced batches side by side, made on first use.
    private lazy var streams = BatchStreams(context: context)
    /// The graph split into the nodes that run in slices and a tail that runs whole, by the tail's first node.
    private var splits: [Int: (head: GraphSegment, tail: GraphSegment)] = [:]
    /// How a graph with output shapes that depend on values computed while running (NonMaxSuppression) runs;
    /// nil for every other graph.
    private let staged: StagedGraph?
    private let lock = NSLock()

    /// Prepares `model` for running; throws `.unsupportedOperator` etc. before any run.
    public convenience init(model: ONNXModel, options: Options = Options()) throws {
        try self.init(model: model, options: options, kernels: .current)
    }

    /// A session on the given instruction set's kernels (tests compare them).
    init(model: ONNXModel, options: Options, kernels: KernelConfig) throws {
        self.options = options
        opset = model.opsetImports[""] ?? model.opsetImports["ai.onnx"] ?? OperatorRegistry.maximumOpset
        context = KernelContext(pool: ThreadPool(threads: options.threads), kernels: kernels)
        var graph = model.graph
        graph.nodes = try graph.topologicallySorted()
        // Create every operator once up front so unsupported operators fail here, not mid-run.
        _ = try graph.nodes.map { try OperatorRegistry.make($0, opsets: model.opsetImports) }
        var passes: [SessionSummary.PassResult] = []
        if options.optimize {
            for pass in PassPipeline.passes(sparsify: options.sparsify, sparseKernels: options.sparseKernels) {
                let changed = try pass.apply(to: &graph, opsets: model.opsetImports, context: context)
                passes.append(.init(name: pass.name, changed: changed))
            }
            graph.nodes = try graph.topologicallySorted()
        }
        // Own the weights that are left, so the model (and every weight the passes replaced, such as the
        // dense form of a compressed one) can be freed once the caller lets it go.
        graph.initializers = graph.initializers.mapValues { $0.storage.isBorrowed ? $0.copy() : $0 }
        summary = SessionSummary(graph: graph, nodesLoaded: model.graph.nodes.count, passes: passes,
                                 threads: options.threads, kernels: context.kernels)
        self.graph = graph
        nodes = graph.nodes
        operators = try nodes.map { try OperatorRegistry.make($0, opsets: model.opsetImports) }
        planTimeInputs = planTimeGraphInputs(graph, nodes: nodes, operators: operators)
        staged = StagedGraph.needed(operators)
            ? StagedGraph(GraphSegment(graph: graph, nodes: nodes, operators: operators), context: context) : nil
        inputs = graph.inputs
        outputs = graph.outputs
    }

    /// Runs the model. `feeds` must contain every input in `inputs`, with matching element
    /// types and shapes that fit the declared ones (symbolic dims bound consistently).
    /// Returns every graph output by name; the tensors are owned by the caller.
    public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        if let staged { return try staged.run(feeds) }
        let slicing = try slicing(for: feeds, signature: signature)
        guard slicing.items < slicing.batch else { return try plan(for: feeds, signature: signature).execute(feeds, context: context) }
        let head = try runSlices(slicing, feeds: feeds)
        guard let start = slicing.tailStart else { return head }
        return try tailPlan(start, feeds: feeds, head: head, signature: signature).execute(feeds.merging(head) { $1 }, context: context)
    }

    /// How a batch of these feeds runs: whole (`items == batch`), or in slices, one after another or side by side,
    /// and perhaps whole again from a node on.
    public func batchSlicing(_ feeds: [String: Tensor]) throws -> BatchSlicing {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        return try slicing(for: feeds, signature: signature)
    }

    /// Runs the nodes `slicing` runs in slices on every slice of `feeds` (side by side on streams, or one after
    /// another on every thread) and joins the slices' outputs: the graph's, or the values the whole-batch tail
    /// reads. Call with `lock` held.
    private func runSlices(_ slicing: BatchSlicing, feeds: [String: Tensor]) throws -> [String: Tensor] {
        let parts = slicing.ranges.map { BatchSlicing.slice(feeds, $0) }
        let head = segments(slicing.tailStart).head
        guard slicing.streams == 1 else {
            return try BatchSlicing.join(streams.run(parts, signature: { sliceKey($0, slicing) }) { part, stream in
                try head.planner(stream).plan(inputShapes: inputShapes(part))
            })
        }
        return try BatchSlicing.join(parts.map { part in try slicePlan(for: part, slicing).execute(part, context: context) })
    }

    /// Runs the model `runs` times on `feeds` and returns the mean seconds per run spent in each node
    /// that ran (nodes evaluated while planning take none), in execution order. A batch run in slices is
    /// timed as such (one after another, on every thread), with the first slice's shapes, then its whole-batch
    /// tail, if any.
    public func profile(_ feeds: [String: Tensor], runs: Int) throws -> [NodeTiming] {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        guard staged == nil else {
            throw EngineError(.dataDependentShape, "per-node times are not available for a model whose shapes depend on values computed while running (NonMaxSuppression, Compress, Unique); time whole runs instead")
        }
        let slicing = try slicing(for: feeds, signature: signature)
        // A batch run whole is not sliced: its inputs need not even have a batch axis (a scalar sample rate).
        let sliced = slicing.items < slicing.batch
        let parts = sliced ? slicing.ranges.map { BatchSlicing.slice(feeds, $0) } : [feeds]
        let slicePlans = try parts.map { part in
            sliced ? try slicePlan(for: part, slicing) : try plan(for: part, signature: signature)
        }
        let first = slicePlans[0]
        var headSeconds = [Double](repeating: 0, count: first.steps.count)
        var tail: (plan: Plan, feeds: [String: Tensor])?
        var tailSeconds: [Double] = []
        for _ in 0..<max(runs, 1) {
            var outputs: [[String: Tensor]] = []
            try headSeconds.withUnsafeMutableBufferPointer { buffer in
                for (part, slicePlan) in zip(parts, slicePlans) {
                    // A smaller slice has a plan of its own; its steps match the first's node for node.
                    let timings = slicePlan.steps.count == first.steps.count ? buffer.baseAddress! : nil
                    outputs.append(try slicePlan.execute(part, context: context, timings: timings))
                }
            }
            guard let start = slicing.tailStart else { continue }
            if tail == nil {
                let head = try BatchSlicing.join(outputs)
                tail = (try tailPlan(start, feeds: feeds, head: head, signature: signature), feeds.merging(head) { $1 })
                tailSeconds = [Double](repeating: 0, count: tail!.plan.steps.count)
            }
            try tailSeconds.withUnsafeMutableBufferPointer { buffer in
                _ = try tail!.plan.execute(tail!.feeds, context: context, timings: buffer.baseAddress!)
            }
        }
        let timed = [(first, headSeconds)] + (tail.map { [($0.plan, tailSeconds)] } ?? [])
        return timed.flatMap { plan, seconds in
            zip(plan.steps, seconds).map { step, total in
                let weight = step.inputs.count > 1 ? step.inputs[1].flatMap { plan.table[$0] } : nil
                let layer = LayerKind(step.node, weight: weight, outputShape: plan.table[step.outputs[0]]?.shape, kernels: context.kernels)
                return NodeTiming(name: step.node.displayName, opType: step.node.opType, seconds: total / Double(max(runs, 1)),
                                  outputShape: plan.table[step.outputs[0]]?.shape ?? [], weightSparsity: layer.weightSparsity,
                                  kernel: layer.kernel)
            }
        }
    }

    /// Bytes a run reads of each initializer: its own, but an 8-bit weight that runs on the sparse INT8 kernels
    /// reads its packed nonzero groups (`QuantizedSparseSelection`).
    private lazy var weightBytesRead: [String: Int] = {
        var bytes = graph.initializers.mapValues(\.byteCount)
        for node in graph.nodes {
            guard case .int(let packed)? = node.attributes[QuantizedSparseSelection.attribute],
                  let inputs = QuantizedSparseSelection.weightInputs(node.opType), node.inputs.count > inputs.weight else { continue }
            bytes[node.inputs[inputs.weight]] = packed
        }
        return bytes
    }()

    /// Whether these feeds' batch runs whole or in slices, decided on first use: in slices when every input has
    /// the same batch (axis 0) of more than one item, no input decides shapes, the graph keeps items apart, the
    /// whole batch's arena exceeds `options.sliceBudget` and the weights are not worth keeping the batch whole for
    /// (`BatchTail`: each slice reads them again). The slices may stop at a tail that runs on the whole batch.
    /// Deciding whole plans the batch at once. Call with `lock` held.
    private func slicing(for feeds: [String: Tensor], signature: [[Int]]) throws -> BatchSlicing {
        if let known = slicings[signature] { return known }
        let batch = feeds.values.first?.shape.first ?? 1
        var decided = BatchSlicing(batch: batch, items: batch)
        if let budget = options.sliceBudget, batch > 1, planTimeInputs.isEmpty, staged == nil,
           feeds.values.allSatisfy({ $0.shape.first == batch }), plans[signature] == nil {
            let planner = Planner(graph: graph, nodes: nodes, operators: operators, context: context)
            let shapes = inputShapes(feeds)
            let inference = try planner.infer(inputShapes: shapes)
            let items = BatchSlicing.items(batch: batch, arenaBytes: planner.arenaBytes(inference), budget: budget)
            let bytesRead = weightBytesRead
            let tail = BatchTail.start(inference, nodes: nodes, graph: graph, batch: batch,
                                       weightBytes: { bytesRead[$0] ?? 0 }, lastLevelCache: options.lastLevelCache)
            let slicing = BatchSlicing(batch: batch, items: items, streams: options.batchStreams ? options.threads : 1,
                                       tailStart: tail?.index)
            if items < batch, tail?.index != inference.pending.first?.index,
               slicesKeepItemsApart(inference, planner: planner, feeds: feeds, slicing: slicing) {
                decided = slicing
                if let tail {
                    splits[tail.index] = GraphSegment.split(graph, nodes: nodes, operators: operators, at: tail.index,
                                                            crossing: tail.crossing, specs: inference.specs)
                }
            } else {
                plans[signature] = try planner.plan(inference, inputShapes: shapes)
            }
        }
        slicings[signature] = decided
        return decided
    }

    /// The part of the graph that runs in slices, and the tail that runs whole (nil without one).
    private func segments(_ tailStart: Int?) -> (head: GraphSegment, tail: GraphSegment?) {
        guard let tailStart, let split = splits[tailStart] else {
            return (GraphSegment(graph: graph, nodes: nodes, operators: operators), nil)
        }
        return (split.head, split.tail)
    }

    /// The key of a slice's plans: its shapes, and where the slices stop.
    private func sliceKey(_ part: [String: Tensor], _ slicing: BatchSlicing) -> [[Int]] {
        sliceSignature(part) + [[slicing.tailStart ?? -1]]
    }

    /// The plan of the sliced nodes for a slice, on the session's context, built on first use. Call with `lock` held.
    private func slicePlan(for part: [String: Tensor], _ slicing: BatchSlicing) throws -> Plan {
        let key = sliceKey(part, slicing)
        if let cached = plans[key] { return cached }
        let plan = try segments(slicing.tailStart).head.planner(context).plan(inputShapes: inputShapes(part))
        plans[key] = plan
        return plan
    }

    /// The plan of the whole-batch tail from node `start`, for feeds of `signature` and the values the slices
    /// made (`head`), built on first use. Call with `lock` held.
    private func tailPlan(_ start: Int, feeds: [String: Tensor], head: [String: Tensor], signature: [[Int]]) throws -> Plan {
        let key = signature + [[-2, start]]
        if let cached = plans[key] { return cached }
        var shapes = inputShapes(feeds)
        for (name, value) in head { shapes[name] = (value.dataType, value.shape) }
        let plan = try segments(start).tail!.planner(context).plan(inputShapes: shapes)
        plans[key] = plan
        return plan
    }

    /// Whether the batch of `feeds` (whose planning is `whole`) can run as `slicing` says: the graph keeps
    /// items apart, and slices of each of its sizes plan to the same nodes, item for item.
    private func slicesKeepItemsApart(_ whole: Planner.Inference, planner: Planner, feeds: [String: Tensor],
                                      slicing: BatchSlicing) -> Bool {
        guard BatchSeparability.holds(whole, nodes: nodes, operators: operators, inputs: inputs.map(\.name),
                                      outputs: outputs.map(\.name), batch: slicing.batch, opset: opset)
        else { return false }
        return slicing.sliceSizes.allSatisfy { size in
            let slice = inputShapes(BatchSlicing.slice(feeds, 0..<size))
            guard let inference = try? planner.infer(inputShapes: slice) else { return false }
            return BatchSeparability.slicePlansMatch(whole, inference, batch: slicing.batch, items: size)
        }
    }

    /// The plan for these feeds' signature, built on first use. Call with `lock` held.
    private func plan(for feeds: [String: Tensor], signature: [[Int]]) throws -> Plan {
        if let cached = plans[signature] { return cached }
        let plan = try Planner(graph: graph, nodes: nodes, operators: operators, context: context)
            .plan(inputShapes: inputShapes(feeds), inputValues: feeds.filter { planTimeInputs.contains($0.key) })
        plans[signature] = plan
        return plan
    }

    /// Each input's element type and shape in `feeds`.
    private func inputShapes(_ feeds: [String: Tensor]) -> [String: (DataType, [Int])] {
        var shapes: [String: (DataType, [Int])] = [:]
        for input in inputs { shapes[input.name] = (feeds[input.name]!.dataType, feeds[input.name]!.shape) }
        return shapes
    }

    /// The signature of a slice of checked feeds: their shapes, as `validate` gives them (sliced batches have no
    /// shape-deciding inputs). Not checked again: a slice may differ from a batch size the model declares.
    private func sliceSignature(_ part: [String: Tensor]) -> [[Int]] {
        inputs.map { part[$0.name]!.shape }
    }

    /// Checks the feeds and returns the shape signature (input shapes in `inputs` order).
    private func validate(_ feeds: [String: Tensor]) throws -> [[Int]] {
        for name in feeds.keys where !inputs.contains(where: { $0.name == name }) {
            let expected = inputs.map(\.name).joined(separator: ", ")
            throw EngineError(.invalidInput, "unknown input '\(name)'; the model's inputs are: \(expected)")
        }
        var bound: [String: (Int, String)] = [:]
        var signature: [[Int]] = []
        for input in inputs {
            guard let t = feeds[input.name] else {
                throw EngineError(.invalidInput, "missing input '\(input.name)' (\(input)); feed a tensor for it")
            }
            if input.dataType != .undefined && t.dataType != input.dataType {
                throw EngineError(.invalidInput, "input '\(input.name)' must be \(input.dataType), got \(t.dataType)")
            }
            if let dims = input.shape {
                guard dims.count == t.rank else {
                    throw EngineError(.shapeMismatch, "input '\(input.name)' must have rank \(dims.count) (\(input)), got shape \(t.shape)")
                }
                for (i, d) in dims.enumerated() {
                    switch d {
                    case .fixed(let n) where n != t.shape[i]:
                        throw EngineError(.shapeMismatch, "input '\(input.name)' dimension \(i) must be \(n) (\(input)), got shape \(t.shape)")
                    case .symbolic(let name):
                        if let (other, where_) = bound[name], other != t.shape[i] {
                            throw EngineError(.shapeMismatch, "inconsistent shapes: dimension '\(name)' is \(other) in input '\(where_)' but \(t.shape[i]) in input '\(input.name)'")
                        }
                        bound[name] = (t.shape[i], input.name)
                    default: break
                    }
                }
            }
            signature.append(t.shape)
            if planTimeInputs.contains(input.name) { signature.append(t.withUnsafeBytes { $0.map(Int.init) }) }
        }
        return signature
    }
}
