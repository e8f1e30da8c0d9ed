/// `y = softmax(x)` over one contiguous row of `n` floats: the maximum, the shifted exponentials (by `exp`, the
/// vector exp kernel) and their sum, then the scaling, each 16 lanes at a time. `y` may be `x`.
func f32SoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int, exp: KernelConfig.VectorFunction) {
    typealias V = SIMD16<Float>
    let vectorEnd = n & ~15
    var maxima = V(repeating: -.infinity)
    for j in stride(from: 0, to: vectorEnd, by: 16) {
        let v = UnsafeRawPointer(x + j).loadUnaligned(as: V.self)
        maxima.replace(with: v, where: v .> maxima)
    }
    var m = maxima.max()
    for j in vectorEnd..<n { m = Swift.max(m, x[j]) }
    let shift = V(repeating: m)
    for j in stride(from: 0, to: vectorEnd, by: 16) {
        UnsafeMutableRawPointer(y + j).storeBytes(of: UnsafeRawPointer(x + j).loadUnaligned(as: V.self) - shift, as: V.self)
    }
    for j in vectorEnd..<n { y[j] = x[j] - m }
    exp(y, y, n)
    var sums = V()
    for j in stride(from: 0, to: vectorEnd, by: 16) { sums += UnsafeRawPointer(y + j).loadUnaligned(as: V.self) }
    var sum = sums.sum()
    for j in vectorEnd..<n { sum += y[j] }
    let inv = 1 / sum, scale = V(repeating: inv)
    for j in stride(from: 0, to: vectorEnd, by: 16) {
        UnsafeMutableRawPointer(y + j).storeBytes(of: UnsafeRawPointer(y + j).loadUnaligned(as: V.self) * scale, as: V.self)
    }
    for j in vectorEnd..<n { y[j] *= inv }
}
