/// `into[j] = x[j·stride]` for j in `0..<count`, reading nothing past `x[(count − 1)·stride]`: stride 2 takes the
/// even lanes of 32 floats, 16 outputs at a time (a stride phase of an image row, for `polyphase`), then of 16 and
/// of 8 (ResNet-50's 28- and 14-wide phases: their last 12 outputs went one by one, 37 % of `polyphase`'s time);
/// other strides, and the last outputs, go one by one.
func f32StridedGather(_ x: UnsafePointer<Float>, stride: Int, count: Int, into: UnsafeMutablePointer<Float>) {
    var j = 0
    if stride == 2 {
        // The 32 floats from x[2j] end at x[2j + 31], within x[2(count − 1)] while j + 17 <= count.
        while j + 17 <= count {
            let pairs = UnsafeRawPointer(x + 2 * j).loadUnaligned(as: SIMD32<Float>.self)
            UnsafeMutableRawPointer(into + j).storeBytes(of: pairs.evenHalf, as: SIMD16<Float>.self)
            j += 16
        }
        if j + 9 <= count {
            let pairs = UnsafeRawPointer(x + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(into + j).storeBytes(of: pairs.evenHalf, as: SIMD8<Float>.self)
            j += 8
        }
        if j + 5 <= count {
            let pairs = UnsafeRawPointer(x + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(into + j).storeBytes(of: pairs.evenHalf, as: SIMD4<Float>.self)
            j += 4
        }
    }
    while j < count {
        into[j] = x[j * stride]
        j += 1
    }
}
