import Foundation
import ZooStub

/// Turns a SparseZoo API answer (research/sparsezoo.md §2.3–2.4) into a zoo catalog entry.
enum GraphQLModels {
    /// The catalog entry (as JSON) for the first model of `{"data": {"models": [...]}}`; nil when there is none.
    static func firstEntry(in response: [String: Any], stub: Stub) throws -> [String: Any]? {
        guard let data = response["data"] as? [String: Any], let models = data["models"] as? [[String: Any]] else {
            throw StoreError(.registry, "v2/graphql answered without data.models")
        }
        guard let model = models.first else { return nil }
        guard let repoName = model["repoName"] as? String, !repoName.isEmpty else {
            throw StoreError(.registry, "v2/graphql listed a model without repoName")
        }
        var entry: [String: Any] = [
            "stub": stub.withoutQuery.description, "repo_name": repoName, "repo_name_source": "observed",
        ]
        if let namespace = model["repoNamespace"] as? String, !namespace.isEmpty { entry["namespace"] = namespace }
        var files: [[String: Any]] = []
        var seen: Set<String> = []
        for file in model["files"] as? [[String: Any]] ?? [] {
            guard let name = file["displayName"] as? String, seen.insert(name).inserted else { continue }
            var item: [String: Any] = ["name": name, "kind": kind(of: file, name: name)]
            if let url = file["downloadUrl"] as? String { item["url"] = url }
            if let size = (file["fileSize"] as? NSNumber)?.int64Value, size > 0 { item["size"] = size }
            if let sha256 = file["sha256"] as? String { item["sha256"] = sha256 }
            files.append(item)
        }
        entry["files"] = files
        return entry
    }

    /// SparseZoo's file type, renamed as its client does: `framework` is `training`, sample archives by name.
    static func kind(of file: [String: Any], name: String) -> String {
        let archives = ["deployment.tar.gz": "deployment", "sample-inputs.tar.gz": "inputs", "sample-labels.tar.gz": "labels",
                        "sample-originals.tar.gz": "originals", "sample-outputs.tar.gz": "outputs"]
        if let kind = archives[name] { return kind }
        let type = file["fileType"] as? String ?? ""
        return type == "framework" ? "training" : (type.isEmpty ? "other" : type)
    }
}
