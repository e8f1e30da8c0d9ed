extension Catalog {
    /// Stores a benchmark result, linked to the catalog model `modelID` when given.
    public func record(_ result: BenchmarkRecord, modelID: Int? = nil) throws {
        guard result.modelDigest.count == 64 else {
            throw CatalogError(.invalidInput, "a benchmark result needs the model file's sha256 (64 hex digits)")
        }
        try database.run("""
            INSERT INTO benchmark_results (model_digest, model_id, engine, engine_version, scenario, batch_size, num_cores,
                num_streams, items_per_sec, latency_mean_ms, latency_median_ms, latency_p90_ms, latency_p95_ms,
                latency_p99_ms, isa, machine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(result.modelDigest), .optional(modelID), .text(result.engine), .optional(result.engineVersion),
                .text(result.scenario), .int(result.batchSize), .int(result.numCores), .int(result.numStreams),
                .real(result.itemsPerSecond), .optional(result.latencyMeanMs), .optional(result.latencyMedianMs),
                .optional(result.latencyP90Ms), .optional(result.latencyP95Ms), .optional(result.latencyP99Ms),
                .optional(result.isa), .optional(result.machine),
            ])
    }

    /// Results recorded for catalog model `modelID`, newest first.
    public func benchmarks(modelID: Int) throws -> [BenchmarkRecord] {
        try benchmarks(where: "model_id = ?", [.int(modelID)])
    }

    /// Results recorded for the model file with this sha256, newest first.
    public func benchmarks(modelDigest: String) throws -> [BenchmarkRecord] {
        try benchmarks(where: "model_digest = ?", [.text(modelDigest)])
    }

    private func benchmarks(where condition: String, _ arguments: [SQLValue]) throws -> [BenchmarkRecord] {
        try database.rows("""
            SELECT model_digest, engine, engine_version, scenario, batch_size, num_cores, num_streams, items_per_sec,
                latency_mean_ms, latency_median_ms, latency_p90_ms, latency_p95_ms, latency_p99_ms, isa, machine,
                recorded_at FROM benchmark_results WHERE \(condition) ORDER BY recorded_at DESC, id DESC
            """, arguments).map { r in
            var record = BenchmarkRecord(
                modelDigest: r.text(0) ?? "", engine: r.text(1) ?? "", engineVersion: r.text(2), scenario: r.text(3) ?? "",
                batchSize: r.int(4) ?? 0, numCores: r.int(5) ?? 0, numStreams: r.int(6) ?? 1,
                itemsPerSecond: r.double(7) ?? 0, latencyMeanMs: r.double(8), latencyMedianMs: r.double(9),
                latencyP90Ms: r.double(10), latencyP95Ms: r.double(11), latencyP99Ms: r.double(12), isa: r.text(13),
                machine: r.text(14))
            record.recordedAt = r.text(15)
            return record
        }
    }
}
