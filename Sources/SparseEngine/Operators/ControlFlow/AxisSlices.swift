/// Positions along one axis of a tensor, seen as `[outer, length, inner]` elements: what `Scan` reads and writes
/// per iteration.
extension Tensor {
    /// Index `index` of the first axis, as a view (no copy).
    func element(_ index: Int) -> Tensor {
        let shape = Array(self.shape.dropFirst())
        let bytes = shape.reduce(1, *) * (dataType.byteSize ?? 0)
        return Tensor(dataType: dataType, shape: shape, storage: storage, byteOffset: byteOffset + index * bytes)
    }

    /// The slice at `index` along `axis`, that axis removed: a view along the first axis, a copy along others.
    func slice(at index: Int, axis: Int) throws -> Tensor {
        if axis == 0 { return element(index) }
        var sliceShape = shape
        sliceShape.remove(at: axis)
        let slice = try Tensor(zeros: dataType, shape: sliceShape)
        let (outer, rowBytes, stride) = rows(axis)
        for row in 0..<outer {
            (slice.rawPointer + row * rowBytes).copyMemory(from: rawPointer + row * stride + index * rowBytes, byteCount: rowBytes)
        }
        return slice
    }

    /// Writes `slice` (this tensor's shape without `axis`) at `index` along `axis`.
    func write(_ slice: Tensor, at index: Int, axis: Int) {
        let (outer, rowBytes, stride) = rows(axis)
        for row in 0..<outer {
            (rawPointer + row * stride + index * rowBytes).copyMemory(from: slice.rawPointer + row * rowBytes, byteCount: rowBytes)
        }
    }

    /// How many rows precede `axis`, the bytes after it (one row of a slice), and the bytes between rows.
    private func rows(_ axis: Int) -> (outer: Int, rowBytes: Int, stride: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let rowBytes = shape[(axis + 1)...].reduce(1, *) * (dataType.byteSize ?? 0)
        return (outer, rowBytes, rowBytes * shape[axis])
    }
}
