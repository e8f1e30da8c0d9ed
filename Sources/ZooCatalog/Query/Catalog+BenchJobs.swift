extension Catalog {
    /// Stores `job`, replacing the record of the same id.
    public func save(_ job: BenchJobRecord) throws {
        try database.run("""
            INSERT OR REPLACE INTO bench_jobs (id, model, model_path, core_set, batch_size, num_cores, scenario, num_streams,
                seconds, warmup_seconds, status, submitted_at, started_at, finished_at, result, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(job.id), .text(job.model), .text(job.modelPath), .text(job.coreSet), .optional(job.batchSize),
                .int(job.numCores), .text(job.scenario), .optional(job.numStreams), .real(job.seconds),
                .real(job.warmupSeconds), .text(job.status), .real(job.submittedAt), .optional(job.startedAt),
                .optional(job.finishedAt), .optional(job.result), .optional(job.error),
            ])
    }

    /// Every benchmark job recorded, oldest first.
    public func benchJobs() throws -> [BenchJobRecord] {
        try database.rows("""
            SELECT id, model, model_path, core_set, batch_size, num_cores, scenario, num_streams, seconds, warmup_seconds,
                status, submitted_at, started_at, finished_at, result, error FROM bench_jobs ORDER BY submitted_at, rowid
            """).map { r in
            BenchJobRecord(
                id: r.text(0) ?? "", model: r.text(1) ?? "", modelPath: r.text(2) ?? "", coreSet: r.text(3) ?? "",
                batchSize: r.int(4), numCores: r.int(5) ?? 1, scenario: r.text(6) ?? "", numStreams: r.int(7),
                seconds: r.double(8) ?? 0, warmupSeconds: r.double(9) ?? 0, status: r.text(10) ?? "",
                submittedAt: r.double(11) ?? 0, startedAt: r.double(12), finishedAt: r.double(13), result: r.text(14),
                error: r.text(15))
        }
    }
}
