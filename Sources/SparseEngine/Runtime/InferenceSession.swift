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

        /// Defaults: all active processors, optimizations and sparse kernels on, no pruning.
        public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, optimize: Bool = true,
                    sparseKernels: Bool = ProcessInfo.processInfo.environment["ZOO_SPARSE"] != "0", sparsify: Double? = nil) {
            self.threads = max(1, threads)
            self.optimize = optimize
            self.sparseKernels = sparseKernels
            self.sparsify = sparsify
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
    private var plans: [[[Int]]: Plan] = [:]
    private let lock = NSLock()

    /// Prepares `model` for running; throws `.unsupportedOperator` etc. before any run.
    public convenience init(model: ONNXModel, options: Options = Options()) throws {
        try self.init(model: model, options: options, kernels: .current)
    }

    /// A session on the given instruction set's kernels (tests compare them).
    init(model: ONNXModel, options: Options, kernels: KernelConfig) throws {
        self.options = options
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
        return try plan(for: feeds, signature: signature).execute(feeds, context: context)
    }

    /// Runs the model `runs` times on `feeds` and returns the mean seconds per run spent in each node
    /// that ran (nodes evaluated while planning take none), in execution order.
    public func profile(_ feeds: [String: Tensor], runs: Int) throws -> [NodeTiming] {
        let signature = try validate(feeds)
        lock.lock()
        defer { lock.unlock() }
        let plan = try plan(for: feeds, signature: signature)
        var seconds = [Double](repeating: 0, count: plan.steps.count)
        try seconds.withUnsafeMutableBufferPointer { buffer in
            for _ in 0..<max(runs, 1) { _ = try plan.execute(feeds, context: context, timings: buffer.baseAddress!) }
        }
        return zip(plan.steps, seconds).map { step, total in
            let weight = step.inputs.count > 1 ? step.inputs[1].flatMap { plan.table[$0] } : nil
            let layer = LayerKind(step.node, weight: weight, kernels: context.kernels)
            return NodeTiming(name: step.node.displayName, opType: step.node.opType, seconds: total / Double(max(runs, 1)),
                              outputShape: plan.table[step.outputs[0]]?.shape ?? [], weightSparsity: layer.weightSparsity,
                              kernel: layer.kernel)
        }
    }

    /// The plan for these feeds' signature, built on first use. Call with `lock` held.
    private func plan(for feeds: [String: Tensor], signature: [[Int]]) throws -> Plan {
        if let cached = plans[signature] { return cached }
        var shapes: [String: (DataType, [Int])] = [:]
        for input in inputs { shapes[input.name] = (feeds[input.name]!.dataType, feeds[input.name]!.shape) }
        let plan = try Planner(graph: graph, nodes: nodes, operators: operators, context: context).plan(inputShapes: shapes, inputValues: feeds.filter { planTimeInputs.contains($0.key) })
        plans[signature] = plan
        return plan
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
