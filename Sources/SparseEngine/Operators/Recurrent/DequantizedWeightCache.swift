import Foundation

/// The float W and R of one `com.microsoft.DynamicQuantizeLSTM` node, dequantized once when the quantized weights,
/// scales and zero points are session constants (as the quantizer writes them), and registered as constants
/// themselves so the GEMM packs them once too. Weights that are not constants are dequantized on every run.
/// Guarded by a lock: batch streams may run the node at once.
final class DequantizedWeightCache: @unchecked Sendable {
    private let lock = NSLock()
    /// Dequantized weights by the address of their quantized constant.
    private var weights: [UInt: Tensor] = [:]

    /// `inputs` with W and R as the float `[directions, 4 · hidden, rows]` that `LSTM` takes.
    func lstmInputs(_ inputs: [Tensor?], context: KernelContext) throws -> [Tensor?] {
        var lstm = inputs
        for (index, scaleIndex) in [(1, DynamicQuantizedGates.scaleInputs.w), (2, DynamicQuantizedGates.scaleInputs.r)] {
            let weight = inputs[index]!, scale = inputs[scaleIndex]!, zeroPoint = inputs[scaleIndex + 1]!
            let constant = [weight, scale, zeroPoint].allSatisfy {
                context.gemmWorkspace.isConstant($0.rawPointer, byteCount: $0.byteCount)
            }
            guard constant else {
                lstm[index] = try DynamicQuantizedGates.dequantized(weight, scale: scale, zeroPoint: zeroPoint)
                continue
            }
            lock.lock()
            defer { lock.unlock() }
            let key = UInt(bitPattern: weight.rawPointer)
            if weights[key] == nil {
                let floats = try DynamicQuantizedGates.dequantized(weight, scale: scale, zeroPoint: zeroPoint)
                context.gemmWorkspace.registerConstant(floats.rawPointer, byteCount: floats.byteCount)
                weights[key] = floats
            }
            lstm[index] = weights[key]
        }
        return lstm
    }
}
