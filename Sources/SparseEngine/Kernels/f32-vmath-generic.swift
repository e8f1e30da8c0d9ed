// f32 exp and erf, 16 lanes of SIMD lowered to the baseline ISA.

/// `y[i] = eˣ⁽ⁱ⁾` for `count` floats, 16 lanes at a time (generic); see `exp(_:)` below. `y` may be `x`.
@inline(never)
public func f32_vexp__generic(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 16 <= count {
        UnsafeMutableRawPointer(y + i).storeBytes(of: exp(UnsafeRawPointer(x + i).loadUnaligned(as: V.self)), as: V.self)
        i += 16
    }
    guard i < count else { return }
    var tail = V(repeating: 0)
    for j in 0..<(count - i) { tail[j] = x[i + j] }
    let result = exp(tail)
    for j in 0..<(count - i) { y[i + j] = result[j] }
}

/// `y[i] = erf(x[i])` for `count` floats, 16 lanes at a time (generic); see `erf(_:)` below. `y` may be `x`.
@inline(never)
public func f32_verf__generic(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 16 <= count {
        UnsafeMutableRawPointer(y + i).storeBytes(of: erf(UnsafeRawPointer(x + i).loadUnaligned(as: V.self)), as: V.self)
        i += 16
    }
    guard i < count else { return }
    var tail = V(repeating: 0)
    for j in 0..<(count - i) { tail[j] = x[i + j] }
    let result = erf(tail)
    for j in 0..<(count - i) { y[i + j] = result[j] }
}

private typealias V = SIMD16<Float>

/// e^v = 2ⁿ·e^r with n = round(v·log₂e) and r = v − n·ln 2 (ln 2 in two parts, so r is exact), e^r by a
/// degree-6 polynomial (Cephes' expf): within 2 ulp; 0 below −87.3, ∞ above 88.7, NaN kept. Rounding uses the
/// 1.5·2²³ trick (the sum's low mantissa bits are n) and bounds compare-and-blend: Swift's `rounded`, integer
/// conversion and `clamped` on SIMD types lower to per-lane calls.
@inline(__always)
private func exp(_ v: V) -> V {
    var x = v.replacing(with: -87.33654, where: v .< -87.33654)
    x.replace(with: 88.72283, where: x .> 88.72283)
    let shifted = x * 1.442695041 + 12582912
    let n = shifted - 12582912
    let r = x - n * 0.693359375 + n * 2.12194440e-4
    var p = V(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * r * r + r + 1
    let scale = unsafeBitCast((unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23, to: V.self)
    var result = p * scale
    result.replace(with: 0, where: v .< -87.33654)
    result.replace(with: .infinity, where: v .> 88.72283)
    result.replace(with: v, where: v .!= v)
    return result
}

/// erf(v): for |v| < 0.5 its odd Taylor series (7 terms, relative error below 1e-7); above, Abramowitz–Stegun
/// 7.1.26 with `exp` (absolute error below 2e-7); ±1 from |v| ≥ 4; NaN kept.
@inline(__always)
private func erf(_ v: V) -> V {
    let a = v.replacing(with: -v, where: v .< 0)
    // 2/√π · (x − x³/3 + x⁵/10 − x⁷/42 + x⁹/216 − x¹¹/1320 + x¹³/9360)
    let s = a * a
    var q = V(repeating: 1.0 / 9360)
    q = q * s - 1.0 / 1320
    q = q * s + 1.0 / 216
    q = q * s - 1.0 / 42
    q = q * s + 1.0 / 10
    q = q * s - 1.0 / 3
    q = q * s + 1
    let small = q * a * 1.1283791671
    // 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−x²), t = 1/(1 + 0.3275911·|x|)
    let t = 1 / (a * 0.3275911 + 1)
    var poly = V(repeating: 1.061405429)
    poly = poly * t - 1.453152027
    poly = poly * t + 1.421413741
    poly = poly * t - 0.284496736
    poly = poly * t + 0.254829592
    var result = (1 - poly * t * exp(-s)).replacing(with: small, where: a .< 0.5)
    result.replace(with: 1, where: a .>= 4)
    result.replace(with: -result, where: v .< 0)
    result.replace(with: v, where: v .!= v)
    return result
}
