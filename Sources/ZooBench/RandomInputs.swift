import SparseEngine

/// Random inputs of the right element type and shape, as `deepsparse.benchmark` generates them:
/// floating-point values uniform in [0, 1), integers 0 or 1 (valid indices and mask values),
/// booleans at random. The same seed gives the same tensors.
public enum RandomInputs {
    /// One tensor per input, keyed by input name; `shapes` is in `inputs` order.
    public static func make(for inputs: [ValueInfo], shapes: [[Int]], seed: UInt64 = 0) throws -> [String: Tensor] {
        var generator = SplitMix64(seed: seed)
        var feeds: [String: Tensor] = [:]
        for (input, shape) in zip(inputs, shapes) {
            feeds[input.name] = try tensor(input.dataType == .undefined ? .float : input.dataType, shape: shape, &generator)
        }
        return feeds
    }

    /// A tensor of `type` and `shape` holding `number` everywhere (converted to the element type).
    public static func filled(_ type: DataType, shape: [Int], with number: Double) throws -> Tensor {
        switch type {
        case .float, .undefined: return try Tensor(shape: shape) { Float(number) }
        case .double: return try Tensor(shape: shape) { number }
        case .int64:
            guard let value = Int64(exactly: number) else { throw notWhole(type, number) }
            return try Tensor(shape: shape) { value }
        case .int32:
            guard let value = Int32(exactly: number) else { throw notWhole(type, number) }
            return try Tensor(shape: shape) { value }
        case .bool: return try Tensor(shape: shape) { number != 0 }
        default: throw BenchmarkError(.invalidInput, "cannot fill a \(type) input with \(number); --value takes float, double, int64, int32 and bool inputs")
        }
    }

    private static func notWhole(_ type: DataType, _ number: Double) -> BenchmarkError {
        BenchmarkError(.invalidInput, "cannot fill a \(type) input with \(number): not a whole number in its range")
    }

    private static func tensor(_ type: DataType, shape: [Int], _ g: inout SplitMix64) throws -> Tensor {
        switch type {
        case .float: return try Tensor(shape: shape) { Float(g.unit()) }
        case .double: return try Tensor(shape: shape) { g.unit() }
        case .int64: return try Tensor(shape: shape) { Int64(g.next() & 1) }
        case .int32: return try Tensor(shape: shape) { Int32(g.next() & 1) }
        case .int16: return try Tensor(shape: shape) { Int16(g.next() & 1) }
        case .int8: return try Tensor(shape: shape) { Int8(g.next() & 1) }
        case .uint8: return try Tensor(shape: shape) { UInt8(g.next() & 1) }
        case .uint16: return try Tensor(shape: shape) { UInt16(g.next() & 1) }
        case .uint32: return try Tensor(shape: shape) { UInt32(g.next() & 1) }
        case .uint64: return try Tensor(shape: shape) { g.next() & 1 }
        case .bool: return try Tensor(shape: shape) { g.next() & 1 == 1 }
        default:
            throw BenchmarkError(.invalidInput, "cannot generate random \(type) inputs; give the input as a file (--input NAME=FILE)")
        }
    }
}

/// A small, fast, seedable generator (SplitMix64, Steele et al. 2014).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
