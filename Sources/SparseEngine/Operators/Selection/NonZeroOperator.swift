/// `NonZero`: the indices of the input's nonzero elements, int64 `[rank, count]` (one row per axis, elements in
/// row-major order), as `numpy.nonzero`. Numeric and bool element types.
struct NonZeroOperator: ValueShapedOperator {
    private let c: OpContext

    init(_ c: OpContext) {
        self.c = c
    }

    func checkInputs(_ inputs: [ValueSpec?]) throws {
        let x = try c.required(inputs, 0, "X")
        try c.check(x.dataType, in: numericTypes + [.bool], "X")
    }

    func evaluate(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = inputs[0]!
        let values = try x.doubleValues()
        let nonzero = values.indices.filter { values[$0] != 0 }
        let strides = contiguousStrides(x.shape)
        var rows = [Int64](repeating: 0, count: x.rank * nonzero.count)
        for (column, flat) in nonzero.enumerated() {
            for axis in 0..<x.rank { rows[axis * nonzero.count + column] = Int64(flat / strides[axis] % x.shape[axis]) }
        }
        return [try Tensor(shape: [x.rank, nonzero.count], scalars: rows)]
    }
}
