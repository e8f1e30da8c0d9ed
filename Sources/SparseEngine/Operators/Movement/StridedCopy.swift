/// Copies `shape`-many elements of `elementSize` bytes from `src` (read at element `strides`,
/// which may be 0 or negative) into contiguous `dst`. Transpose, Slice and Expand use it.
func stridedCopy(elementSize: Int, shape: [Int], strides: [Int], src: UnsafeRawPointer, dst: UnsafeMutableRawPointer) {
    let total = shape.reduce(1, *)
    if total == 0 { return }
    let rank = shape.count
    if rank == 0 {
        dst.copyMemory(from: src, byteCount: elementSize)
        return
    }
    let inner = shape[rank - 1], innerStride = strides[rank - 1]
    let rows = total / inner
    var index = [Int](repeating: 0, count: rank)
    var offset = 0
    var out = 0
    for _ in 0..<rows {
        switch elementSize {
        case 1:
            let s = src.assumingMemoryBound(to: UInt8.self) + offset, d = dst.assumingMemoryBound(to: UInt8.self) + out
            if innerStride == 1 { d.update(from: s, count: inner) } else { for i in 0..<inner { d[i] = s[i * innerStride] } }
        case 4:
            let s = src.assumingMemoryBound(to: UInt32.self) + offset, d = dst.assumingMemoryBound(to: UInt32.self) + out
            if innerStride == 1 { d.update(from: s, count: inner) } else { for i in 0..<inner { d[i] = s[i * innerStride] } }
        case 8:
            let s = src.assumingMemoryBound(to: UInt64.self) + offset, d = dst.assumingMemoryBound(to: UInt64.self) + out
            if innerStride == 1 { d.update(from: s, count: inner) } else { for i in 0..<inner { d[i] = s[i * innerStride] } }
        default:
            for i in 0..<inner {
                (dst + (out + i) * elementSize).copyMemory(from: src + (offset + i * innerStride) * elementSize, byteCount: elementSize)
            }
        }
        out += inner
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            offset += strides[d]
            if index[d] < shape[d] { break }
            offset -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// Copies a whole tensor's bytes (for Reshape, Identity and friends), in parallel when large (`RowPartCopy`): the memory planner
/// does not always let a Reshape's output share its input's bytes (YOLOv5s's head).
func copyBytes(_ x: Tensor, into y: Tensor, pool: ThreadPool) {
    if x.rawPointer != y.rawPointer { RowPartCopy(parts: [x.rawPointer], widths: [x.byteCount], rows: 1).gather(into: y.rawPointer, pool: pool) }
}
