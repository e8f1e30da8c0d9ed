import ZooCatalog

/// Which of a model's files a pull brings.
public enum FileSelection: Sendable, Equatable {
    /// Everything a user runs, verifies and fine-tunes from: the ONNX model, deployment, sample data, card and
    /// recipes; framework checkpoints (`training/`) only when asked for.
    case model(includeTraining: Bool)
    /// The recipes alone (for `zoo recipe`).
    case recipes
}

/// One file a pull needs, as the catalog lists it.
public struct PlannedFile: Sendable, Equatable {
    /// Relative path in the model directory.
    public var name: String
    public var kind: String
    public var url: String?
    /// The size the registry states, if any.
    public var size: Int64?
    /// The digest the registry states, or the one learned from the first verified download.
    public var sha256: String?
}

/// Chooses the files of a pull from a model's catalog entry.
enum PullPlan {
    /// The files `selection` needs, sorted by name. Loose files under `X/` are dropped when the archive
    /// `X.tar.gz` is listed too (it unpacks to the same place, as SparseZoo's client does).
    static func files(of model: ModelRecord, selection: FileSelection) -> [PlannedFile] {
        var files = model.files.map {
            PlannedFile(name: $0.name, kind: $0.kind, url: $0.url, size: $0.size, sha256: $0.sha256)
        }
        let recipes = model.recipes.map {
            PlannedFile(name: $0.name, kind: "recipe", url: $0.url, size: $0.size, sha256: $0.sha256)
        }
        for recipe in recipes where !files.contains(where: { $0.name == recipe.name }) { files.append(recipe) }
        switch selection {
        case .recipes:
            files = files.filter(isRecipe)
        case .model(let includeTraining):
            if !includeTraining { files = files.filter { !isTraining($0) } }
            let unpacked = Set(files.compactMap { ArchiveName.directory(of: $0.name) })
            files = files.filter { file in !unpacked.contains { file.name.hasPrefix($0 + "/") } }
        }
        return files.sorted { $0.name < $1.name }
    }

    static func isRecipe(_ file: PlannedFile) -> Bool {
        file.kind == "recipe" || (!file.name.contains("/") && file.name.hasPrefix("recipe"))
    }

    static func isTraining(_ file: PlannedFile) -> Bool {
        file.kind == "training" || file.kind == "framework" || file.name.hasPrefix("training/")
    }
}

/// What an archive in a model directory unpacks to.
enum ArchiveName {
    static let suffixes = [".tar.gz", ".tgz", ".tar.xz", ".tar.zst", ".tar"]

    /// The name without its archive suffix, or nil when `name` is not an archive.
    static func stem(_ name: String) -> String? {
        guard !name.contains("/") else { return nil }
        for suffix in suffixes where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    /// The directory an archive unpacks into (`deployment.tar.gz` → `deployment`), or nil for an archive that
    /// unpacks in place beside itself (`model.onnx.tar.gz` → `model.onnx`, `model.data`…) or a non-archive.
    static func directory(of name: String) -> String? {
        guard let stem = stem(name), !stem.contains(".") else { return nil }
        return stem
    }
}
