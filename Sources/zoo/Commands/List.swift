import ArgumentParser
import Foundation
import ZooStore

extension Zoo {
    /// `zoo ls`: the cached models (or recipes) with sizes, tags, pins and last use.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List cached models: sizes (own and shared), sparsity tags, last use, pins.")

        @Flag(help: "List the cached recipes instead.")
        var recipes = false

        @Option(help: "Order: name, size or last-used.")
        var sort: String = "name"

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                guard let order = CacheOrder(rawValue: sort) else {
                    throw ValidationError("--sort takes name, size or last-used, not '\(sort)'")
                }
                let daemon = try DaemonSession.current()
                if recipes {
                    let list = try daemon?.recipes() ?? CacheContext().store.recipes()
                    if output.json { return try printJSON(list) }
                    var table = TextTable(columns: ["STUB", "RECIPE", "SIZE", "PATH"])
                    for recipe in list { table.append([recipe.stub, recipe.name, ByteCount.format(recipe.size), recipe.path]) }
                    print(list.isEmpty ? "no recipes cached" : table.rendered)
                    return
                }
                let models = try daemon?.list(order: order) ?? CacheContext().store.list(order: order)
                if output.json { return print(JSONText.array(models, Self.write)) }
                var table = TextTable(columns: ["STUB", "SIZE", "SHARED", "TAGS", "LAST USED", "PINNED"])
                for model in models {
                    table.append([
                        model.stub, ByteCount.format(model.ownBytes), ByteCount.format(model.sharedBytes), tags(model),
                        RelativeTime.describe(model.lastUsed), model.pinned ? "pinned" : "",
                    ])
                }
                print(models.isEmpty ? "no models cached; `zoo pull STUB` fetches one" : table.rendered)
            }
        }

        /// A model as `--json` shows it: CachedModel's keys, sorted.
        private static func write(_ json: inout JSONText, _ model: CachedModel) {
            json.begin()
            json.field("complete", model.complete)
            json.field("files", model.files)
            json.field("last_used", model.lastUsed)
            json.field("namespace", model.namespace)
            json.field("own_bytes", model.ownBytes)
            json.field("path", model.path)
            json.field("pinned", model.pinned)
            json.field("pulled_at", model.pulledAt)
            json.field("pulling", model.pulling)
            json.field("quantized", model.quantized)
            json.field("repo_name", model.repoName)
            json.field("shared_bytes", model.sharedBytes)
            json.field("sparsity", model.sparsity)
            json.field("stub", model.stub)
            json.end()
        }

        private func tags(_ model: CachedModel) -> String {
            var tags: [String] = []
            if let sparsity = model.sparsity, sparsity > 0 { tags.append("sparse \(sparsity)%") }
            if model.quantized { tags.append("int8") }
            if !model.complete { tags.append("partial") }
            if model.pulling { tags.append("pulling") }
            return tags.isEmpty ? "dense" : tags.joined(separator: ", ")
        }
    }
}

/// "3 minutes ago" for a unix time.
enum RelativeTime {
    static func describe(_ seconds: Double, now: Double = Date().timeIntervalSince1970) -> String {
        let age = max(0, now - seconds)
        for (unit, length) in [("day", 86_400.0), ("hour", 3_600.0), ("minute", 60.0)] where age >= length {
            let count = Int(age / length)
            return "\(count) \(unit)\(count == 1 ? "" : "s") ago"
        }
        return "just now"
    }
}
