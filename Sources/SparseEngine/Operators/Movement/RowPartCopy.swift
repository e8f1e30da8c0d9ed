/// Copies between a contiguous buffer of `rows` rows and the parts each row is cut into, part j holding
/// `widths[j]` bytes of every row in a buffer of its own: Concat gathers the parts into the rows, Split
/// scatters the rows into the parts, and a single part of the whole row is a plain copy (Reshape and
/// friends). The rows' bytes are cut into equal ranges copied in parallel, so a Concat along channels of one
/// image (one row of megabytes) and a Split of 19,200 rows of 8-byte pieces (YOLOv5s's head) both spread
/// over the threads.
struct RowPartCopy {
    /// The parts' buffers, in row order.
    let parts: [UnsafeMutableRawPointer]
    /// Bytes of each row in each part.
    let widths: [Int]
    let rows: Int

    /// Fewest bytes a task copies: less costs more in claiming and waking than it saves.
    static let minTaskBytes = 64 * 1024

    /// Bytes of one row.
    var rowBytes: Int { widths.reduce(0, +) }

    /// Fills `whole`'s rows from the parts.
    func gather(into whole: UnsafeMutableRawPointer, pool: ThreadPool) {
        run(whole, pool: pool) { whole, part, bytes in whole.copyMemory(from: part, byteCount: bytes) }
    }

    /// Fills the parts from `whole`'s rows.
    func scatter(from whole: UnsafeRawPointer, pool: ThreadPool) {
        run(UnsafeMutableRawPointer(mutating: whole), pool: pool) { whole, part, bytes in part.copyMemory(from: whole, byteCount: bytes) }
    }

    /// Calls `copy(wholeAddress, partAddress, bytes)` for every run of bytes that lies in one part of one row,
    /// in equal ranges of the rows' bytes (64-byte aligned, at least `minTaskBytes`), a few per thread.
    private func run(_ whole: UnsafeMutableRawPointer, pool: ThreadPool,
                     _ copy: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int) -> Void) {
        let rowBytes = rowBytes, total = rows * rowBytes
        guard total > 0 else { return }
        let wanted = pool.threadCount == 1 ? 1 : pool.threadCount * 4
        let tasks = max(1, min(wanted, total / Self.minTaskBytes))
        let starts = widths.reduce(into: [0]) { $0.append($0.last! + $1) }
        /// The first byte of task `t`'s range.
        func boundary(_ t: Int) -> Int { t == tasks ? total : total * t / tasks / 64 * 64 }
        pool.parallelFor(tasks) { task, _ in
            var at = boundary(task)
            let end = boundary(task + 1)
            var row = at / rowBytes, column = at % rowBytes
            var part = starts.lastIndex { $0 <= column }!
            while at < end {
                while column >= starts[part + 1] { part += 1 }
                let offset = column - starts[part], bytes = min(widths[part] - offset, end - at)
                copy(whole + at, parts[part] + row * widths[part] + offset, bytes)
                at += bytes
                column += bytes
                if column == rowBytes {
                    row += 1
                    column = 0
                    part = 0
                }
            }
        }
    }
}
