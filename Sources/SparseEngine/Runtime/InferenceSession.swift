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

        /// Defaults: all active processors, optimizations and sparse kernels on, no pruning, large batches
        /// sliced to fit this machine's cache.
        public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, optimize: Bool = true,
                    sparseKernels: Bool = ProcessInfo.processInfo.environment["ZOO_SPARSE"] != "0", sparsify: Double? = nil,
                    sliceBudget: Int? = BatchSlicing.environmentBudget, lastLevelCache: Int = BatchSlicing.lastLevelCache) {
            self.threads = max(1, threads)
            self.optimize = optimize
            self.sparseKernels = sparseKernels
            self.sparsify = sparsify
            self.sliceBudget = sliceBudget
            self.lastLevelCache = lastLevelCache
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
        let slicing = try slicing(for: feeds, signature: signature)
        guard slicing.items < slicing.batch else { return try plan(for: feeds, signature: signature).execute(feeds, context: context) }
        return try BatchSlicing.join(slicing.ranges.map { range in
            let part = BatchSlicing.slice(feeds, range)
            return try plan(for: part, signature: sliceSignature(part)).execute(part, context: context)
        })
    }

    /// Items per slice when a batch of these feeds runs (`BatchSlicing`): the whole batch, or fewer.
    public func sliceItems(_ feeds: [String: Tensor]) throws -> Int {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        return try slicing(for: feeds, signature: signature).items
    }

    /// Runs the model `runs` times on `feeds` and returns the mean seconds per run spent in each node
    /// that ran (nodes evaluated while planning take none), in execution order. A batch run in slices is
    /// timed as such, with the first slice's shapes.
    public func profile(_ feeds: [String: Tensor], runs: Int) throws -> [NodeTiming] {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        let slicing = try slicing(for: feeds, signature: signature)
        let parts = slicing.ranges.map { BatchSlicing.slice(feeds, $0) }
        let slicePlans = try parts.map { try plan(for: $0, signature: sliceSignature($0)) }
        let first = slicePlans[0]
        var seconds = [Double](repeating: 0, count: first.steps.count)
        try seconds.withUnsafeMutableBufferPointer { buffer in
            for _ in 0..<max(runs, 1) {
                for (part, slicePlan) in zip(parts, slicePlans) {
                    // A smaller last slice has a plan of its own; its steps match the first's node for node.
                    let timings = slicePlan.steps.count == first.steps.count ? buffer.baseAddress! : nil
                    _ = try slicePlan.execute(part, context: context, timings: timings)
                }
            }
        }
        return zip(first.steps, seconds).map { step, total in
            let weight = step.inputs.count > 1 ? step.inputs[1].flatMap { first.table[$0] } : nil
            let layer = LayerKind(step.node, weight: weight, outputShape: first.table[step.outputs[0]]?.shape, kernels: context.kernels)
            return NodeTiming(name: step.node.displayName, opType: step.node.opType, seconds: total / Double(max(runs, 1)),
                              outputShape: first.table[step.outputs[0]]?.shape ?? [], weightSparsity: layer.weightSparsity,
                              kernel: layer.kernel)
        }
    }

    /// Whether these feeds' batch runs whole or in slices, decided on first use: in slices when every
    /// input has the same batch (axis 0) of more than one item, no input decides shapes, the graph keeps
    /// items apart, the whole batch's arena exceeds `options.sliceBudget` and the weights a run reads take fewer
    /// bytes than one item's intermediate values or than the last-level cache holds (slices read them again each). Deciding whole plans the batch at once. Call with `lock` held.
    /// Bytes of weights a run reads: every initializer, but an 8-bit weight that runs on the sparse INT8 kernels
    /// as its packed nonzero groups (`QuantizedSparseSelection`).
    private var weightBytesRead: Int {
        var packed: [String: Int] = [:]
        for node in graph.nodes {
            guard case .int(let bytes)? = node.attributes[QuantizedSparseSelection.attribute],
                  let inputs = QuantizedSparseSelection.weightInputs(node.opType), node.inputs.count > inputs.weight else { continue }
            packed[node.inputs[inputs.weight]] = bytes
        }
        return graph.initializers.reduce(0) { $0 + (packed[$1.key] ?? $1.value.byteCount) }
    }

    private func slicing(for feeds: [String: Tensor], signature: [[Int]]) throws -> BatchSlicing {
        if let known = slicings[signature] { return known }
        let batch = feeds.values.first?.shape.first ?? 1
        var decided = BatchSlicing(batch: batch, items: batch)
        if let budget = options.sliceBudget, batch > 1, planTimeInputs.isEmpty,
           feeds.values.allSatisfy({ $0.shape.first == batch }), plans[signature] == nil {
            let planner = Planner(graph: graph, nodes: nodes, operators: operators, context: context)
            let shapes = inputShapes(feeds)
            let inference = try planner.infer(inputShapes: shapes)
            let items = BatchSlicing.items(batch: batch, arenaBytes: planner.arenaBytes(inference), budget: budget)
            // Each slice reads every weight again: worth it only while the weights take fewer bytes than one
            // item's activations (pruned ResNet-50: 16 MB against 45; dense: 100 MB, whose batched GEMMs run faster)
            // or fit in the last-level cache (ResNet-50 INT8: 25 MB, 100 -> 140 items/s at b16 on 2 threads).
            let weightsAreSmall = weightBytesRead < max(planner.valueBytes(inference) / batch, options.lastLevelCache)
            if items < batch, weightsAreSmall, slicesKeepItemsApart(inference, planner: planner, feeds: feeds, batch: batch, items: items) {
                decided = BatchSlicing(batch: batch, items: items)
            } else {
                plans[signature] = planner.plan(inference, inputShapes: shapes)
            }
        }
        slicings[signature] = decided
        return decided
    }

    /// Whether the batch of `feeds` (whose planning is `whole`) can run in slices of `items`: the graph keeps
    /// items apart, and slices of `items` (and the smaller last one) plan to the same nodes, item for item.
    private func slicesKeepItemsApart(_ whole: Planner.Inference, planner: Planner, feeds: [String: Tensor],
                                      batch: Int, items: Int) -> Bool {
        guard BatchSeparability.holds(whole, nodes: nodes, operators: operators, inputs: inputs.map(\.name),
                                      outputs: outputs.map(\.name), batch: batch, opset: opset)
        else { return false }
        return Set([items, batch % items].filter { $0 > 0 }).allSatisfy { size in
            let slice = inputShapes(BatchSlicing.slice(feeds, 0..<size))
            guard let inference = try? planner.infer(inputShapes: slice) else { return false }
            return BatchSeparability.slicePlansMatch(whole, inference, batch: batch, items: size)
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
