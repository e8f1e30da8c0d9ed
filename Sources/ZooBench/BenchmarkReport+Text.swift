import Foundation
import SparseEngine

extension BenchmarkReport {
    /// The printed report: `deepsparse.benchmark`'s lines with their exact labels and 4 decimals, then
    /// p90/p95/p99 latencies and what the engine did.
    public var text: String {
        let latency = measurement.latency
        func ms(_ value: Double?) -> String { String(format: "%.4f", value ?? 0) }
        var lines = [
            "Original Model Path: \(originalModelPath)",
            "Batch Size: \(batchSize)",
            "Scenario: \(settings.scenario.rawValue)",
            "Throughput (items/sec): \(ms(measurement.itemsPerSecond))",
            "Latency Mean (ms/batch): \(ms(latency.mean))",
            "Latency Median (ms/batch): \(ms(latency.median))",
            "Latency Std (ms/batch): \(ms(latency.standardDeviation))",
            "Latency p90 (ms/batch): \(ms(latency.percentile(90)))",
            "Latency p95 (ms/batch): \(ms(latency.percentile(95)))",
            "Latency p99 (ms/batch): \(ms(latency.percentile(99)))",
            "Iterations: \(measurement.iterations)",
        ]
        let threads = threadsPerSession.count == 1
            ? "\(threadsPerSession[0]) thread\(threadsPerSession[0] == 1 ? "" : "s")"
            : threadsPerSession.map(String.init).joined(separator: "+") + " threads"
        let shared = settings.scenario == .elastic && measurement.streams > 1 ? " sharing one session" : ""
        lines.append("Engine: \(summary.isa), \(threads), \(measurement.streams) stream\(measurement.streams == 1 ? "" : "s")\(shared), GEMM \(summary.gemmKernel), SpMM \(summary.spmmKernel)")
        lines.append("Input Shapes: " + inputShapes.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ","))
        var graph = "Graph: \(summary.nodesLoaded) nodes loaded, \(summary.nodesAfterOptimization) run, \(summary.fusedLayers) layers fused"
        let changed = summary.passes.filter { $0.changed > 0 }.map { "\($0.name) \($0.changed)" }
        if !changed.isEmpty { graph += " (" + changed.joined(separator: ", ") + ")" }
        lines.append(graph)
        let sparsity = summary.weightSparsity.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a"
        let pruned = settings.sparsify.map { String(format: " (pruned to %.0f %% in memory by --sparsify)", $0 * 100) } ?? ""
        lines.append("Sparsity: weight sparsity \(sparsity) over \(summary.weightLayers) layers, \(summary.sparseLayers) run sparse\(pruned)")
        lines.append(String(format: "Weight memory: %.1f MiB held by the engine (constants, compressed and packed weights)", Double(weightBytes) / 1_048_576))
        if slicing.items < batchSize {
            let side = slicing.streams > 1 ? ", \(slicing.streams) streams side by side" : ""
            let nodes = summary.nodesAfterOptimization
            let tail = slicing.tailStart.map { ", then the last \(nodes - $0) of \(nodes) nodes on the whole batch (their weights outweigh the values)" } ?? ""
            lines.append("Batch slices: \(batchSize) items run \(slicing.items) at a time\(side)\(tail) (the whole batch's activations exceed the cache)")
        }
        if let profile { lines.append(profileText(profile)) }
        return lines.joined(separator: "\n")
    }
}

extension BenchmarkReport {
    /// Time per operator type, largest first, then the slowest nodes.
    private func profileText(_ profile: [NodeTiming]) -> String {
        let total = profile.reduce(0) { $0 + $1.seconds }
        var byType: [String: (nodes: Int, seconds: Double)] = [:]
        for timing in profile { byType[timing.opType, default: (0, 0)].nodes += 1; byType[timing.opType, default: (0, 0)].seconds += timing.seconds }
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        func percent(_ seconds: Double) -> String { String(format: "%5.1f %%", total > 0 ? seconds / total * 100 : 0) }
        var lines = [String(format: "Profile: %.3f ms per run in %d nodes", total * 1000, profile.count)]
        for (type, entry) in byType.sorted(by: { $0.value.seconds > $1.value.seconds }) {
            lines.append("  " + pad(type, 24) + String(format: " %4d nodes %10.3f ms ", entry.nodes, entry.seconds * 1000) + percent(entry.seconds))
        }
        lines.append("Layers, in execution order:")
        lines.append("  " + pad("node", 36) + " " + pad("op", 12) + " " + pad("output shape", 18) + " " + pad("sparsity", 8) + " "
                     + pad("kernel", 30) + "         ms   share")
        for timing in profile {
            let shape = "[" + timing.outputShape.map(String.init).joined(separator: ",") + "]"
            let sparsity = timing.weightSparsity.map { String(format: "%5.1f %%", $0 * 100) } ?? "-"
            lines.append("  " + pad(timing.name, 36) + " " + pad(timing.opType, 12) + " " + pad(shape, 18) + " " + pad(sparsity, 8) + " "
                         + pad(timing.kernel, 30) + String(format: " %10.3f ", timing.seconds * 1000) + percent(timing.seconds))
        }
        return lines.joined(separator: "\n")
    }
}
