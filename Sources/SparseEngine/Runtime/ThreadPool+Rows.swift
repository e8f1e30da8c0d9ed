extension ThreadPool {
    /// Calls `body(row)` for rows `0 ..< rows` of `rowLength` floats each, in tasks of consecutive rows of about
    /// 4096 floats (and at least a task per thread): a task per short row (a softmax's 128 scores, a LayerNorm's 768
    /// features) cost more in claims than in work.
    func parallelForRows(_ rows: Int, rowLength: Int, _ body: (Int) -> Void) {
        let rowsPerTask = max(1, min(4096 / max(1, rowLength), (rows + threadCount - 1) / threadCount))
        parallelFor((rows + rowsPerTask - 1) / rowsPerTask) { task, _ in
            for row in (task * rowsPerTask)..<min(rows, (task + 1) * rowsPerTask) { body(row) }
        }
    }
}
