import Foundation

/// `Softmax` and `LogSoftmax`. Before opset 13 the input is coerced to 2-D at `axis`
/// (default 1) and normalized over the flattened trailing block; from opset 13 over the single
/// `axis` (default -1).
struct SoftmaxOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let axis: Int

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        axis = try c.int("axis", c.opset >= 13 ? -1 : 1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        _ = try c.axis(axis, rank: max(x.shape.count, 1))
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let shape = x.shape.isEmpty ? [1] : x.shape
        let a = try c.axis(axis, rank: shape.count)
        let outer = shape[..<a].reduce(1, *)
        let n: Int, inner: Int
        if c.opset >= 13 {
            n = shape[a]; inner = shape[(a + 1)...].reduce(1, *)
        } else {
            n = shape[a...].reduce(1, *); inner = 1
        }
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        let isLog = kind == .logSoftmax
        if inner == 1 && !isLog {
            softmaxRows(xp, yp, rows: outer, n: n, context)
            return
        }
        context.pool.parallelFor(outer * inner) { task, _ in
            let o = task / inner, i = task % inner
            let s = xp + o * n * inner + i, d = yp + o * n * inner + i
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, s[j * inner]) }
            var sum: Float = 0
            for j in 0..<n {
                let e = expf(s[j * inner] - m)
                d[j * inner] = e
                sum += e
            }
            if isLog {
                let logSum = logf(sum)
                for j in 0..<n { d[j * inner] = s[j * inner] - m - logSum }
            } else {
                let inv = 1 / sum
                for j in 0..<n { d[j * inner] *= inv }
            }
        }
    }

    /// Softmax over contiguous rows (the common case: the last axis) on the row kernel, rows grouped per task.
    private func softmaxRows(_ xp: UnsafePointer<Float>, _ yp: UnsafeMutablePointer<Float>, rows: Int, n: Int, _ context: KernelContext) {
        let softmax = context.kernels.softmax
        context.pool.parallelForRows(rows, rowLength: n) { row in softmax(xp + row * n, yp + row * n, n) }
    }
}
