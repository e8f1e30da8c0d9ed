/// `Unique`: the distinct elements of the flattened input, or (with `axis`) its distinct slices along `axis`,
/// ascending (`sorted` 1, slices compared element by element in order) or in order of first occurrence (0); with
/// each one's first index, each input element's (or slice's) index into the output, and each one's count (int64).
/// Numeric element types.
struct UniqueOperator: ValueShapedOperator {
    private let c: OpContext
    private let sorted: Bool
    private let axis: Int?

    init(_ c: OpContext) throws {
        self.c = c
        let sorted = try c.int("sorted", 1)
        guard sorted == 0 || sorted == 1 else {
            throw c.error(.unsupportedAttribute, "sorted \(sorted) is neither 0 nor 1")
        }
        self.sorted = sorted == 1
        axis = try c.optionalInt("axis")
    }

    func checkInputs(_ inputs: [ValueSpec?]) throws {
        let x = try c.required(inputs, 0, "X")
        try c.check(x.dataType, in: numericTypes, "X")
        if let axis { _ = try c.axis(axis, rank: x.shape.count) }
    }

    func evaluate(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = inputs[0]!
        switch x.dataType {
        case .float: return try unique(x, Float.self)
        case .double: return try unique(x, Double.self)
        case .int64: return try unique(x, Int64.self)
        case .int32: return try unique(x, Int32.self)
        case .int16: return try unique(x, Int16.self)
        case .int8: return try unique(x, Int8.self)
        case .uint8: return try unique(x, UInt8.self)
        case .uint16: return try unique(x, UInt16.self)
        case .uint32: return try unique(x, UInt32.self)
        case .uint64: return try unique(x, UInt64.self)
        default: throw c.error(.unsupportedDataType, "X of type \(x.dataType) is not supported")
        }
    }

    /// The four outputs for `x` holding `T`.
    private func unique<T: TensorElement & Comparable & Hashable>(_ x: Tensor, _ type: T.Type) throws -> [Tensor] {
        let axis = try self.axis.map { try c.axis($0, rank: x.rank) }
        let dimension = axis.map { x.shape[$0] } ?? x.count
        let outer = axis.map { x.shape[..<$0].reduce(1, *) } ?? 1
        let inner = axis.map { x.shape[($0 + 1)...].reduce(1, *) } ?? 1
        let values = x.buffer(T.self)
        // Slice i: its elements in order, outer index first.
        let slices: [[T]] = (0..<dimension).map { i in
            var slice: [T] = []
            slice.reserveCapacity(outer * inner)
            for o in 0..<outer {
                let start = (o * dimension + i) * inner
                slice += values[start..<(start + inner)]
            }
            return slice
        }
        var firstIndex: [[T]: Int] = [:]
        var distinct: [Int] = []
        for (i, slice) in slices.enumerated() where firstIndex[slice] == nil {
            firstIndex[slice] = i
            distinct.append(i)
        }
        if sorted { distinct.sort { slices[$0].lexicographicallyPrecedes(slices[$1]) } }
        var position: [[T]: Int] = [:]
        for (p, i) in distinct.enumerated() { position[slices[i]] = p }
        let inverse = slices.map { Int64(position[$0]!) }
        var counts = [Int64](repeating: 0, count: distinct.count)
        for p in inverse { counts[Int(p)] += 1 }
        var shape = [distinct.count]
        if let axis { shape = x.shape; shape[axis] = distinct.count }
        var elements: [T] = []
        elements.reserveCapacity(distinct.count * outer * inner)
        for o in 0..<outer {
            for i in distinct { elements += slices[i][(o * inner)..<((o + 1) * inner)] }
        }
        return [try Tensor(shape: shape, scalars: elements), try Tensor(shape: [distinct.count], scalars: distinct.map(Int64.init)),
                try Tensor(shape: [dimension], scalars: inverse), try Tensor(shape: [distinct.count], scalars: counts)]
    }
}
