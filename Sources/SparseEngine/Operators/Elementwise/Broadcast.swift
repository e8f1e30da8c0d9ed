/// Multidirectional (numpy-style) broadcast of shapes; nil if they are incompatible.
func broadcastShapes(_ shapes: [[Int]]) -> [Int]? {
    let rank = shapes.map(\.count).max() ?? 0
    var out = [Int](repeating: 1, count: rank)
    for shape in shapes {
        let offset = rank - shape.count
        for (i, d) in shape.enumerated() {
            let o = out[offset + i]
            if o == d || d == 1 { continue }
            if o == 1 { out[offset + i] = d } else { return nil }
        }
    }
    return out
}

/// Element strides of `shape` when read at the indices of `outShape` (0 along broadcast axes).
func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = outShape.count - shape.count
    return (0..<outShape.count).map { d in
        d < offset ? 0 : (shape[d - offset] == 1 ? 0 : own[d - offset])
    }
}

/// An iteration plan for up to three inputs broadcast to one output: the output is walked as
/// rows of `inner` contiguous elements; adjacent axes are merged where every operand allows it.
struct BroadcastLoop {
    private(set) var dims: [Int]
    private(set) var strides: [[Int]]  // per operand, per merged dim

    init(outShape: [Int], inputs: [[Int]]) {
        var dims = outShape
        var strides = inputs.map { broadcastStrides($0, to: outShape) }
        // Drop size-1 axes, then merge axis d into d+1 when contiguous for all operands.
        var keep: [Int] = []
        for d in 0..<dims.count where dims[d] != 1 { keep.append(d) }
        dims = keep.map { dims[$0] }
        strides = strides.map { s in keep.map { s[$0] } }
        var d = dims.count - 2
        while d >= 0 {
            let mergeable = strides.allSatisfy { $0[d] == $0[d + 1] * dims[d + 1] }
            if mergeable {
                dims[d + 1] *= dims[d]
                dims.remove(at: d)
                for k in strides.indices { strides[k].remove(at: d) }
            }
            d -= 1
        }
        if dims.isEmpty {
            dims = [1]
            strides = strides.map { _ in [0] }
        }
        self.dims = dims
        self.strides = strides
    }

    var inner: Int { dims[dims.count - 1] }
    func innerStride(_ operand: Int) -> Int { strides[operand][dims.count - 1] }

    /// Calls `body(outOffset, offsets)` for each row; `offsets[k]` is operand k's start offset.
    func forEachRow(_ body: (Int, UnsafeBufferPointer<Int>) -> Void) {
        let outer = dims.count - 1
        let rows = dims[0..<outer].reduce(1, *)
        var index = [Int](repeating: 0, count: max(outer, 1))
        var offsets = [Int](repeating: 0, count: strides.count)
        let inner = self.inner
        offsets.withUnsafeMutableBufferPointer { off in
            for row in 0..<rows {
                body(row * inner, UnsafeBufferPointer(off))
                // Increment the multi-index over the outer dims.
                var d = outer - 1
                while d >= 0 {
                    index[d] += 1
                    for k in 0..<off.count { off[k] += strides[k][d] }
                    if index[d] < dims[d] { break }
                    for k in 0..<off.count { off[k] -= strides[k][d] * dims[d] }
                    index[d] = 0
                    d -= 1
                }
            }
        }
    }
}
