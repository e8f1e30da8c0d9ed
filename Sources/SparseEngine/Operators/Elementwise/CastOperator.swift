/// `Cast(to:)` and `CastLike` (the type of its second input) between float, double, float16,
/// bfloat16, the integers and bool. Float → integer truncates toward zero; anything → bool is
/// `value != 0`.
struct CastOperator: Operator {
    let c: OpContext
    /// The `to` type of Cast; nil for CastLike.
    let target: DataType?

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.c = c
        guard kind == .cast else {
            target = nil
            return
        }
        guard let to = try c.optionalInt("to") else { throw c.error(.invalidModel, "attribute 'to' is required") }
        let type = try DataType.decode(Int32(truncatingIfNeeded: to), context: "Cast 'to'")
        try c.check(type, in: allTypes, "target type")
        target = type
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: allTypes)
        let type = try target ?? c.required(inputs, 1, "target_type").dataType
        try c.check(type, in: allTypes, "target type")
        return [ValueSpec(type, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        try castTensor(inputs[0]!, into: outputs[0])
    }
}

private let integerTypes: Set<DataType> = [.int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64, .bool]

/// Converts every element of `x` into `out` (same count, `out.dataType` the target).
func castTensor(_ x: Tensor, into out: Tensor) throws {
    let n = x.count
    if x.dataType == out.dataType {
        out.rawPointer.copyMemory(from: x.rawPointer, byteCount: x.byteCount)
        return
    }
    if castsDirectly(x, into: out) { return }
    if x.dataType == .float && out.dataType == .float16 {
        let s = x.pointer(Float.self), d = out.pointer(UInt16.self)
        for i in 0..<n { d[i] = floatToHalf(s[i]) }
        return
    }
    if out.dataType == .bool {
        let values = try x.doubleValues()
        let d = out.pointer(UInt8.self)
        for i in 0..<n { d[i] = values[i] != 0 ? 1 : 0 }
        return
    }
    if integerTypes.contains(x.dataType) && integerTypes.contains(out.dataType) && x.dataType != .uint64 {
        let values = x.dataType == .bool ? x.buffer(UInt8.self).map(Int.init) : try x.intValues()
        switch out.dataType {
        case .int64: let d = out.pointer(Int64.self); for i in 0..<n { d[i] = Int64(values[i]) }
        case .int32: let d = out.pointer(Int32.self); for i in 0..<n { d[i] = Int32(truncatingIfNeeded: values[i]) }
        case .int16: let d = out.pointer(Int16.self); for i in 0..<n { d[i] = Int16(truncatingIfNeeded: values[i]) }
        case .int8: let d = out.pointer(Int8.self); for i in 0..<n { d[i] = Int8(truncatingIfNeeded: values[i]) }
        case .uint8: let d = out.pointer(UInt8.self); for i in 0..<n { d[i] = UInt8(truncatingIfNeeded: values[i]) }
        case .uint16: let d = out.pointer(UInt16.self); for i in 0..<n { d[i] = UInt16(truncatingIfNeeded: values[i]) }
        case .uint32: let d = out.pointer(UInt32.self); for i in 0..<n { d[i] = UInt32(truncatingIfNeeded: values[i]) }
        case .uint64: let d = out.pointer(UInt64.self); for i in 0..<n { d[i] = UInt64(truncatingIfNeeded: values[i]) }
        default: break
        }
        return
    }
    let values: [Double]
    switch x.dataType {
    case .bfloat16: values = x.buffer(UInt16.self).map { Double(bfloat16ToFloat($0)) }
    case .uint64: values = x.buffer(UInt64.self).map { Double($0) }
    case .uint32: values = x.buffer(UInt32.self).map { Double($0) }
    case .uint16: values = x.buffer(UInt16.self).map { Double($0) }
    default: values = try x.doubleValues()
    }
    switch out.dataType {
    case .float16:
        let d = out.pointer(UInt16.self)
        for i in 0..<n { d[i] = floatToHalf(Float(values[i])) }
    case .bfloat16:
        let d = out.pointer(UInt16.self)
        for i in 0..<n { d[i] = floatToBFloat16(Float(values[i])) }
    default:
        try writeDoubles(values, to: out)
    }
}

/// The common conversions to float (from int32, int64, int8, uint8, double) and from float to double, element by
/// element without the round trip through an array of doubles (a dynamically quantized layer casts its int32 sums to
/// float). false when the pair is not one of them.
private func castsDirectly(_ x: Tensor, into out: Tensor) -> Bool {
    func convert<Source, Target>(_ source: Source.Type, _ target: Target.Type, _ transform: (Source) -> Target) {
        let s = x.pointer(Source.self), d = out.pointer(Target.self)
        for i in 0..<x.count { d[i] = transform(s[i]) }
    }
    switch (x.dataType, out.dataType) {
    case (.int32, .float): convert(Int32.self, Float.self) { Float($0) }
    case (.int64, .float): convert(Int64.self, Float.self) { Float($0) }
    case (.int8, .float): convert(Int8.self, Float.self) { Float($0) }
    case (.uint8, .float): convert(UInt8.self, Float.self) { Float($0) }
    case (.double, .float): convert(Double.self, Float.self) { Float($0) }
    case (.float, .double): convert(Float.self, Double.self) { Double($0) }
    default: return false
    }
    return true
}
