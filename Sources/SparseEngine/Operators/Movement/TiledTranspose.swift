/// Copies a permuted view of a contiguous tensor into contiguous `dst` when the source's contiguous axis is not the
/// output's last (a Transpose that moves the innermost axis, such as attention's K into [heads, 64, tokens]).
/// `stridedCopy` would read that view one element per cache line; this walks each 2-D plane of the output's axis
/// `j` (read contiguously) and its last axis (written contiguously) in square tiles, so both sides stay in cache,
/// and shares the tile rows among the pool's threads. Returns false, copying nothing, for any other view.
func tiledTranspose(elementSize: Int, shape: [Int], strides: [Int], src: UnsafeRawPointer, dst: UnsafeMutableRawPointer,
                    pool: ThreadPool) -> Bool {
    let rank = shape.count
    guard rank >= 2, let j = strides.firstIndex(of: 1), j < rank - 1, strides[rank - 1] != 1, !shape.contains(0) else { return false }
    switch elementSize {
    case 1: tiledTranspose(UInt8.self, shape, strides, j, src, dst, pool)
    case 2: tiledTranspose(UInt16.self, shape, strides, j, src, dst, pool)
    case 4: tiledTranspose(UInt32.self, shape, strides, j, src, dst, pool)
    case 8: tiledTranspose(UInt64.self, shape, strides, j, src, dst, pool)
    default: return false
    }
    return true
}

/// Elements per side of a tile: 16 rows of 64 bytes for 4-byte elements.
private let tileSide = 16

private func tiledTranspose<T>(_: T.Type, _ shape: [Int], _ strides: [Int], _ j: Int, _ src: UnsafeRawPointer,
                               _ dst: UnsafeMutableRawPointer, _ pool: ThreadPool) {
    let rank = shape.count, last = rank - 1
    let outStrides = contiguousStrides(shape)
    let rowsJ = shape[j], columns = shape[last], sourceColumnStride = strides[last], destinationRowStride = outStrides[j]
    // The other axes enumerate the planes; each plane's offsets into source and destination.
    let outerAxes = (0..<rank).filter { $0 != j && $0 != last }
    let planes = outerAxes.reduce(1) { $0 * shape[$1] }
    let tileRows = (rowsJ + tileSide - 1) / tileSide
    let source = src.assumingMemoryBound(to: T.self), destination = dst.assumingMemoryBound(to: T.self)
    pool.parallelFor(planes * tileRows) { task, _ in
        var plane = task / tileRows, sourceBase = 0, destinationBase = 0
        for axis in outerAxes.reversed() {
            let index = plane % shape[axis]
            plane /= shape[axis]
            sourceBase += index * strides[axis]
            destinationBase += index * outStrides[axis]
        }
        let r0 = (task % tileRows) * tileSide, r1 = min(rowsJ, r0 + tileSide)
        for c0 in stride(from: 0, to: columns, by: tileSide) {
            let c1 = min(columns, c0 + tileSide)
            for r in r0..<r1 {
                let from = source + sourceBase + r, to = destination + destinationBase + r * destinationRowStride
                for c in c0..<c1 { to[c] = from[c * sourceColumnStride] }
            }
        }
    }
}
