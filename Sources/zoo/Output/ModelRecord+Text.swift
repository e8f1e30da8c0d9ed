import ZooCatalog
import ZooStore
import ZooStub

extension ModelRecord {
    /// Sparsity and quantization labels: `pruned95, quant`, or `dense`.
    var tags: String {
        var labels = Sparsification(tag: sparseTag).labels
        if sparsity == 0 { labels.insert("dense", at: 0) }
        if synthetic { labels.append("synthetic") }
        return labels.isEmpty ? "-" : labels.joined(separator: ", ")
    }

    /// `zoo show`'s text: the record, then its files, recipes and results.
    var humanReadable: String {
        var list = FieldList()
        list.add("stub", stub)
        list.add("model", "\(namespace)/\(repoName)" + (repoNameSource == "derived" ? " (name derived from the stub)" : ""))
        list.add("also", stubs.filter { $0 != stub }.joined(separator: "\n" + String(repeating: " ", count: 14)))
        list.add("domain", domain)
        list.add("task", task)
        list.add("architecture", [architecture, subArchitecture].compactMap { $0 }.joined(separator: "-"))
        list.add("framework", framework)
        list.add("repo", repo)
        list.add("dataset", dataset)
        list.add("sparse tag", sparseTag)
        list.add("tags", tags)
        list.add("catalog", source)
        var text = list.rendered
        text += "\n\nfiles:" + (files.isEmpty ? " none listed" : "")
        for file in files {
            text += "\n  \(file.name)  \(file.kind)  \(file.size.map(ByteCount.format) ?? "size unknown")  \(file.sha256.map { "sha256:" + $0.prefix(12) } ?? "no digest")"
        }
        text += "\nrecipes:" + (recipes.isEmpty ? " none listed" : "")
        for recipe in recipes { text += "\n  \(recipe.name)" }
        text += "\nbenchmarks:" + (benchmarks.isEmpty ? " none recorded" : "")
        for b in benchmarks {
            text += "\n  \(b.recordedAt ?? "")  \(b.engine)  \(b.scenario)  batch \(b.batchSize)  \(b.numCores) cores  \(String(format: "%.2f", b.itemsPerSecond)) items/s"
        }
        return text
    }
}
