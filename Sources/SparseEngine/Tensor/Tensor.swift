/// A dense, row-major tensor: an element type, a shape and the bytes.
///
/// `Tensor` is a value with reference-counted storage. Tensors made by the caller or returned
/// by `InferenceSession.run` own their bytes; weights loaded from a model borrow the model's
/// memory (no copy). Read elements with `scalars(_:)` or `withUnsafeBytes(_:)`.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The element type.
    public let dataType: DataType
    /// The dimensions, outermost first; `[]` for a scalar.
    public let shape: [Int]
    let storage: TensorStorage
    let byteOffset: Int

    /// Number of elements (1 for a scalar, 0 if any dimension is 0).
    public var count: Int { shape.reduce(1, *) }
    /// Number of bytes of element data.
    public var byteCount: Int { count * (dataType.byteSize ?? 0) }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    init(dataType: DataType, shape: [Int], storage: TensorStorage, byteOffset: Int = 0) {
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
        self.byteOffset = byteOffset
    }

    /// A zero-filled tensor. Throws for element types the engine cannot hold (strings, sub-byte types).
    public init(zeros dataType: DataType, shape: [Int]) throws {
        guard let size = dataType.byteSize else {
            throw EngineError(.unsupportedDataType, "tensors of type \(dataType) are not supported; use a numeric or bool type")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError(.shapeMismatch, "tensor shape \(shape) has a negative dimension")
        }
        let byteCount = try MemoryLimit.byteCount(of: shape, elementSize: size, what: "a \(dataType) tensor")
        self.init(dataType: dataType, shape: shape, storage: TensorStorage(zeroedByteCount: byteCount))
    }

    /// A tensor holding a copy of `scalars`; `scalars.count` must equal the product of `shape`.
    public init<T: TensorElement>(shape: [Int], scalars: [T]) throws {
        let expected = shape.reduce(1, *)
        guard expected == scalars.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError(.shapeMismatch, "shape \(shape) needs \(expected) elements but \(scalars.count) were given")
        }
        try self.init(zeros: T.dataType, shape: shape)
        scalars.withUnsafeBytes { storage.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// A tensor of `shape` whose elements, in order, are the values `next` returns: filled in place, with no array in
    /// between, after the memory check of `init(zeros:shape:)`.
    public init<T: TensorElement>(shape: [Int], generating next: () -> T) throws {
        try self.init(zeros: T.dataType, shape: shape)
        let elements = rawPointer.assumingMemoryBound(to: T.self)
        for index in 0..<count { elements[index] = next() }
    }

    /// A rank-0 tensor holding `value`.
    public init<T: TensorElement>(scalar value: T) {
        try! self.init(shape: [], scalars: [value])
    }

    /// The elements as a Swift array. Throws if `T` does not match `dataType`.
    public func scalars<T: TensorElement>(_ type: T.Type = T.self) throws -> [T] {
        guard T.dataType == dataType else {
            throw EngineError(.invalidInput, "tensor holds \(dataType) elements, not \(T.dataType)")
        }
        return Array(UnsafeBufferPointer(start: rawPointer.assumingMemoryBound(to: T.self), count: count))
    }

    /// Calls `body` with the element bytes (row-major, little-endian).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: rawPointer, count: byteCount))
    }

    /// The same bytes with a different shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.reduce(1, *) == count, newShape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError(.shapeMismatch, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        }
        return Tensor(dataType: dataType, shape: newShape, storage: storage, byteOffset: byteOffset)
    }

    /// The same bytes read as another element type of the same size (e.g. `uint16` bit patterns
    /// as `bfloat16`, the way NumPy-based tools store bfloat16 data).
    public func bitcast(to newType: DataType) throws -> Tensor {
        guard let size = newType.byteSize, size == dataType.byteSize else {
            throw EngineError(.unsupportedDataType, "cannot reinterpret \(dataType) elements as \(newType): the element sizes differ")
        }
        return Tensor(dataType: newType, shape: shape, storage: storage, byteOffset: byteOffset)
    }

    /// A copy that owns its bytes (detached from any model, file or arena memory).
    public func copy() -> Tensor {
        let out = try! Tensor(zeros: dataType, shape: shape)
        out.rawPointer.copyMemory(from: rawPointer, byteCount: byteCount)
        return out
    }

    public var description: String { "Tensor<\(dataType)>\(shape)" }

    // MARK: engine-internal access

    var rawPointer: UnsafeMutableRawPointer { storage.base + byteOffset }

    func pointer<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        rawPointer.assumingMemoryBound(to: T.self)
    }

    func buffer<T>(_ type: T.Type) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: pointer(T.self), count: count)
    }

    /// Reads an integer tensor (int32/int64) as `[Int]`, e.g. a shape or axes input.
    func intValues() throws -> [Int] {
        switch dataType {
        case .int64: return buffer(Int64.self).map { Int($0) }
        case .int32: return buffer(Int32.self).map { Int($0) }
        case .int16: return buffer(Int16.self).map { Int($0) }
        case .int8: return buffer(Int8.self).map { Int($0) }
        case .uint8: return buffer(UInt8.self).map { Int($0) }
        default:
            throw EngineError(.unsupportedDataType, "expected an integer tensor, got \(dataType)")
        }
    }

    /// Every element as a `Double` (bool as 0 or 1; 64-bit integers beyond 2⁵³ round), for
    /// reading a tensor of any numeric element type. Throws for strings and other types the
    /// engine cannot hold.
    public func doubleValues() throws -> [Double] {
        switch dataType {
        case .float: return buffer(Float.self).map { Double($0) }
        case .double: return Array(buffer(Double.self))
        case .float16: return buffer(UInt16.self).map { Double(halfToFloat($0)) }
        case .bfloat16: return buffer(UInt16.self).map { Double(bfloat16ToFloat($0)) }
        case .bool: return buffer(UInt8.self).map { Double($0) }
        case .uint16: return buffer(UInt16.self).map { Double($0) }
        case .uint32: return buffer(UInt32.self).map { Double($0) }
        case .uint64: return buffer(UInt64.self).map { Double($0) }
        default: return try intValues().map { Double($0) }
        }
    }
}

/// Row-major strides for `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = acc
        acc *= shape[i]
    }
    return strides
}
