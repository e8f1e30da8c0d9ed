/// The values a loop hands from one iteration to the next. A body's outputs live in its plan's arena until the next
/// iteration overwrites them, so each is copied into a buffer of its own, two per value used in turn; an output that
/// is one of the iteration's inputs passed through is kept as it is, without a copy.
struct CarriedValues {
    /// The current values, in order.
    private(set) var values: [Tensor]
    private var buffers: [[Tensor]]

    init(_ initial: [Tensor]) {
        values = initial
        buffers = initial.map { _ in [] }
    }

    /// Replaces the values with one iteration's `outputs`; `inputs` are the tensors that iteration read.
    mutating func update(_ outputs: [Tensor], inputs: [Tensor]) throws {
        let fed = Set(inputs.map(\.rawPointer))
        let kept = Set(outputs.map(\.rawPointer).filter { fed.contains($0) })
        for (k, output) in outputs.enumerated() {
            if kept.contains(output.rawPointer) {
                values[k] = output
                continue
            }
            let free = buffers[k].firstIndex { $0.dataType == output.dataType && $0.shape == output.shape && !kept.contains($0.rawPointer) }
            let buffer: Tensor
            if let free {
                buffer = buffers[k][free]
            } else {
                buffer = try Tensor(zeros: output.dataType, shape: output.shape)
                buffers[k] = Array(([buffer] + buffers[k]).prefix(2))
            }
            buffer.rawPointer.copyMemory(from: output.rawPointer, byteCount: output.byteCount)
            values[k] = buffer
        }
    }
}
