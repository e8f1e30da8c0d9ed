/// Nearest-neighbour resize of the last two axes of `planes` planes of 4-byte elements: output (oy, ox) copies
/// input (rows[oy], columns[ox]). An output row whose source row is the previous one's is a copy of that
/// row; a row of an exact ×2 widening (columns[ox] = ox / 2) duplicates 8 elements into 16 at a time; other
/// rows are gathered one by one. Parallel over planes.
func x32ResizeNearest2D(_ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer, planes: Int, inH: Int, inW: Int,
                        rows: [Int32], columns: [Int32], pool: ThreadPool) {
    let outH = rows.count, outW = columns.count
    let doubles = outW == 2 * inW && columns.indices.allSatisfy { Int(columns[$0]) == $0 / 2 }
    rows.withUnsafeBufferPointer { rows in
        columns.withUnsafeBufferPointer { columns in
            pool.parallelFor(planes) { plane, _ in
                let src = (x + plane * inH * inW * 4).assumingMemoryBound(to: UInt32.self)
                let dst = (y + plane * outH * outW * 4).assumingMemoryBound(to: UInt32.self)
                for oy in 0..<outH {
                    let out = dst + oy * outW
                    if oy > 0 && rows[oy] == rows[oy - 1] {
                        out.update(from: out - outW, count: outW)
                    } else if doubles {
                        x32DuplicateEach(src + Int(rows[oy]) * inW, count: inW, into: out)
                    } else {
                        let row = src + Int(rows[oy]) * inW
                        for ox in 0..<outW { out[ox] = row[Int(columns[ox])] }
                    }
                }
            }
        }
    }
}

/// `into[2i] = into[2i + 1] = x[i]` for i in `0..<count`: 8 elements widened to 16 at a time, the rest one by one.
func x32DuplicateEach(_ x: UnsafePointer<UInt32>, count: Int, into: UnsafeMutablePointer<UInt32>) {
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<UInt32>.self)
        var pairs = SIMD16<UInt32>()
        pairs.evenHalf = v
        pairs.oddHalf = v
        UnsafeMutableRawPointer(into + 2 * i).storeBytes(of: pairs, as: SIMD16<UInt32>.self)
        i += 8
    }
    while i < count {
        into[2 * i] = x[i]
        into[2 * i + 1] = x[i]
        i += 1
    }
}
