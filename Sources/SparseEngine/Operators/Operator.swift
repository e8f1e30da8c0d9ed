/// The type and shape of one value while planning, plus its contents when known then
/// (initializers, `Constant`, `Shape` of a known shape, and anything computed only from those).
struct ValueSpec {
    var dataType: DataType
    var shape: [Int]
    var value: Tensor?

    init(_ dataType: DataType, _ shape: [Int], value: Tensor? = nil) {
        self.dataType = dataType
        self.shape = shape
        self.value = value
    }

    /// A spec for a known tensor.
    init(known tensor: Tensor) {
        self.init(tensor.dataType, tensor.shape, value: tensor)
    }

    var count: Int { shape.reduce(1, *) }
}

/// What a kernel may use while running: the thread pool, the chosen microkernels, scratch.
final class KernelContext: @unchecked Sendable {
    let pool: ThreadPool
    let kernels: KernelConfig
    let gemmWorkspace: GemmWorkspace
    private var scratch: [ScratchBuffer]
    private let sharedScratch = [ScratchBuffer(), ScratchBuffer()]

    /// The buffers of `sharedFloats`: two can be live in one kernel call.
    enum SharedSlot: Int { case first, second }

    init(pool: ThreadPool, kernels: KernelConfig = .current, constants: ConstantPackings = ConstantPackings()) {
        self.pool = pool
        self.kernels = kernels
        gemmWorkspace = GemmWorkspace(threads: pool.threadCount, constants: constants)
        scratch = (0..<pool.threadCount).map { _ in ScratchBuffer() }
    }

    /// A context for one of several streams that run batch slices side by side (`BatchStreams`): a thread of
    /// its own (kernels run inline on whichever thread runs the stream), scratch of its own, the same kernels,
    /// and this context's constants and their packings, so every stream reads one copy of each weight.
    func stream() -> KernelContext {
        KernelContext(pool: ThreadPool(threads: 1), kernels: kernels, constants: gemmWorkspace.constants)
    }

    /// Per-thread float scratch (e.g. im2col columns) reused across runs.
    func scratchFloats(thread: Int, _ count: Int) -> UnsafeMutablePointer<Float> {
        scratch[thread].floats(count)
    }

    /// Float scratch shared by all threads of one kernel call (e.g. panels packed once for every thread),
    /// reused across runs. Call from the calling thread, outside parallel regions.
    func sharedFloats(_ slot: SharedSlot, _ count: Int) -> UnsafeMutablePointer<Float> {
        sharedScratch[slot.rawValue].floats(count)
    }
}

/// One ONNX operator, configured from a node's attributes and opset.
///
/// Operators are created once per session (`OperatorRegistry.make`), then asked for output
/// shapes once per input-shape signature (`inferOutputs`), then run many times into
/// preallocated outputs (`run`).
protocol Operator {
    /// Output specs for the given inputs (`nil` = omitted optional input). Must return one spec
    /// per node output. May fill `value` when the output is known without running (e.g. `Shape`).
    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec]
    /// Computes the outputs, whose shapes and types are those `inferOutputs` returned.
    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws
    /// Positions of the inputs whose contents `inferOutputs` reads (a target shape, axes, pads,
    /// sizes): their values must be known when planning. Default: none.
    var planTimeInputs: [Int] { get }
    /// True when the outputs depend only on the inputs' shapes and types, not on their contents
    /// (`Shape`). Default: false.
    var readsOnlyInputShapes: Bool { get }
}

extension Operator {
    var planTimeInputs: [Int] { [] }
    var readsOnlyInputShapes: Bool { false }
}

/// The graph inputs whose contents decide output shapes: values that flow into an operator's
/// `planTimeInputs` (directly or through other nodes, but not through `Shape`). A session
/// plans once per distinct value of these inputs, as it does per distinct input shape.
func planTimeGraphInputs(_ graph: Graph, nodes: [Node], operators: [Operator]) -> Set<String> {
    var producer: [String: Int] = [:]
    for (i, node) in nodes.enumerated() {
        for output in node.outputs where !output.isEmpty { producer[output] = i }
    }
    var pending: [String] = []
    for (i, node) in nodes.enumerated() {
        for k in operators[i].planTimeInputs where k < node.inputs.count && !node.inputs[k].isEmpty {
            pending.append(node.inputs[k])
        }
    }
    var needed = Set<String>()
    while let value = pending.popLast() {
        guard needed.insert(value).inserted, let p = producer[value], !operators[p].readsOnlyInputShapes else { continue }
        pending += nodes[p].inputs.filter { !$0.isEmpty }
    }
    return Set(graph.inputs.map(\.name)).intersection(needed)
}
