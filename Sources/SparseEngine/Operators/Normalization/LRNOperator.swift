import Foundation

/// `LRN`, local response normalization across channels:
/// `y = x / (bias + alpha/size · Σ x²)^beta`, the sum over channels
/// `c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉` at the same position.
struct LRNOperator: Operator {
    let c: OpContext
    let alpha: Float, beta: Float, bias: Float
    let size: Int

    init(_ c: OpContext) throws {
        self.c = c
        alpha = try c.float("alpha", 1e-4)
        beta = try c.float("beta", 0.75)
        bias = try c.float("bias", 1)
        guard let size = try c.optionalInt("size"), size > 0 else { throw c.error(.invalidModel, "attribute 'size' must be a positive integer") }
        self.size = size
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        guard x.shape.count >= 2 else { throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C, …]") }
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let n = x.shape[0], channels = x.shape[1], plane = x.shape[2...].reduce(1, *)
        let before = (size - 1) / 2, after = size - 1 - before
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        let scale = alpha / Float(size), beta = self.beta, bias = self.bias
        context.pool.parallelFor(n * channels) { task, _ in
            let img = task / channels, ch = task % channels
            let lo = Swift.max(0, ch - before), hi = Swift.min(channels - 1, ch + after)
            let src = xp + task * plane, dst = yp + task * plane
            for j in 0..<plane {
                var sum: Float = 0
                for k in lo...hi {
                    let v = xp[(img * channels + k) * plane + j]
                    sum += v * v
                }
                dst[j] = src[j] / powf(bias + scale * sum, beta)
            }
        }
    }
}
