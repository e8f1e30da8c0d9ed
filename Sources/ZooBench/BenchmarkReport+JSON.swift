import SparseEngine

/// The `-x` export: `deepsparse.benchmark`'s keys and nesting (values of the same meaning), plus zoo's
/// extras under `zoo`.
extension BenchmarkReport: Encodable {
    /// deepsparse's top-level keys.
    public static let exportKeys = [
        "engine", "version", "orig_model_path", "model_path", "batch_size", "input_shapes", "num_cores", "scenario",
        "scheduler", "seconds_to_run", "num_streams", "benchmark_result", "fraction_of_supported_ops",
    ]

    /// deepsparse's `benchmark_result` keys (latencies in ms per batch).
    public static let resultKeys = [
        "scenario", "items_per_sec", "seconds_ran", "iterations", "median", "mean", "std",
        "25.0%", "50.0%", "75.0%", "90.0%", "95.0%", "99.0%", "99.9%",
    ]

    public func encode(to encoder: Encoder) throws {
        var object = encoder.container(keyedBy: JSONKey.self)
        try object.encode(engineDescription, forKey: "engine")
        try object.encode(version, forKey: "version")
        try object.encode(originalModelPath, forKey: "orig_model_path")
        try object.encode(modelPath, forKey: "model_path")
        try object.encode(batchSize, forKey: "batch_size")
        try object.encode(settings.inputShapes, forKey: "input_shapes")
        try object.encode(settings.cores, forKey: "num_cores")
        try object.encode(settings.scenario.exportName, forKey: "scenario")
        try object.encode(settings.scenario.schedulerName, forKey: "scheduler")
        try object.encode(settings.seconds, forKey: "seconds_to_run")
        try object.encode(measurement.streams, forKey: "num_streams")

        var result = object.nestedContainer(keyedBy: JSONKey.self, forKey: "benchmark_result")
        let latency = measurement.latency
        try result.encode(settings.scenario.exportName, forKey: "scenario")
        try result.encode(measurement.itemsPerSecond, forKey: "items_per_sec")
        try result.encode(measurement.secondsRan, forKey: "seconds_ran")
        try result.encode(measurement.iterations, forKey: "iterations")
        try result.encode(latency.median, forKey: "median")
        try result.encode(latency.mean, forKey: "mean")
        try result.encode(latency.standardDeviation, forKey: "std")
        for (q, value) in zip(LatencyStatistics.reportedPercentiles, latency.percentiles) {
            try result.encode(value, forKey: JSONKey(stringValue: "\(q)%"))
        }
        try object.encode(1.0, forKey: "fraction_of_supported_ops")

        var zoo = object.nestedContainer(keyedBy: JSONKey.self, forKey: "zoo")
        try zoo.encode(summary.isa, forKey: "isa")
        try zoo.encode(summary.vnni, forKey: "vnni")
        try zoo.encode(summary.gemmKernel, forKey: "gemm_kernel")
        try zoo.encode(summary.spmmKernel, forKey: "spmm_kernel")
        try zoo.encode(threadsPerSession, forKey: "threads_per_session")
        try zoo.encode(measurement.iterationsPerStream, forKey: "iterations_per_stream")
        try zoo.encode(inputShapes, forKey: "input_shapes_run")
        try zoo.encode(settings.warmupSeconds, forKey: "warmup_seconds")
        try zoo.encode(latency.minimum, forKey: "latency_min")
        try zoo.encode(latency.maximum, forKey: "latency_max")
        try zoo.encode(summary.nodesLoaded, forKey: "nodes_loaded")
        try zoo.encode(summary.nodesAfterOptimization, forKey: "nodes_run")
        try zoo.encode(summary.fusedLayers, forKey: "fused_layers")
        try zoo.encode(Dictionary(uniqueKeysWithValues: summary.passes.map { ($0.name, $0.changed) }), forKey: "passes")
        try zoo.encode(summary.operatorCounts, forKey: "operators")
        try zoo.encode(summary.weightLayers, forKey: "weight_layers")
        try zoo.encode(summary.sparseLayers, forKey: "sparse_layers")
        try zoo.encode(summary.weightSparsity, forKey: "weight_sparsity")
        try zoo.encode(settings.sparsify, forKey: "sparsify")
        try zoo.encode(weightBytes, forKey: "weight_bytes")
        try zoo.encode(slicing.items, forKey: "slice_items")
        try zoo.encode(slicing.streams, forKey: "slice_streams")
        try zoo.encode(slicing.tailStart.map { summary.nodesAfterOptimization - $0 }, forKey: "whole_batch_tail_nodes")
        if let profile {
            try zoo.encode(profile.map {
                NodeTimingJSON(name: $0.name, op_type: $0.opType, output_shape: $0.outputShape, weight_sparsity: $0.weightSparsity,
                               kernel: $0.kernel, ms: $0.seconds * 1000)
            }, forKey: "profile")
        }
    }
}

/// One node of the profile in the export.
private struct NodeTimingJSON: Encodable {
    let name: String
    let op_type: String
    let output_shape: [Int]
    let weight_sparsity: Double?
    let kernel: String
    let ms: Double
}

/// A JSON object key given as a string.
struct JSONKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

import Foundation

extension BenchmarkReport {
    /// The export as indented JSON with sorted keys, for `-x FILE`.
    public func exportData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
