import Foundation
import ZooCatalog
import ZooDigest
import ZooStore

/// Answers the fields a query selects on a model, its files and its results, with SparseZoo's names
/// (research/sparsezoo.md §2.3): files by display name and file type, each `downloadUrl` pointing at this
/// daemon's `/files/…` endpoint.
struct ModelFields: Sendable {
    /// `http://host[:port]` as the client reached the daemon.
    let baseURL: String

    func render(_ model: ModelRecord, selection: [GraphQLDocument.Field]) throws -> [String: Any] {
        var object: [String: Any] = [:]
        for field in selection {
            object[field.responseKey] = try value(of: field, model: model)
        }
        return object
    }

    private func value(of field: GraphQLDocument.Field, model: ModelRecord) throws -> Any {
        let key = ModelKey(model)
        func optional(_ value: String?) -> Any { value ?? NSNull() }
        switch field.name {
        case "modelId": return Self.modelID(key)
        case "stub": return model.stub
        case "repoName": return model.repoName
        case "repoNamespace": return model.namespace
        case "displayName": return model.displayName ?? model.repoName
        case "description": return optional(model.description)
        case "domain": return optional(model.domain)
        case "task", "subDomain": return optional(model.task)
        case "architecture": return model.architecture
        case "subArchitecture": return optional(model.subArchitecture)
        case "framework": return optional(model.framework)
        case "repo": return optional(model.repo)
        case "sourceDataset": return optional(model.dataset)
        case "trainingScheme": return optional(model.trainingScheme)
        case "sparseTag": return model.sparseTag
        case "modelOnnxSizeCompressedBytes":
            return model.files.first { $0.name == "model.onnx" }?.size.map { $0 as Any } ?? NSNull()
        case "files":
            let selection = try subselection(field)
            return try files(of: model).map { file in
                var object: [String: Any] = [:]
                for sub in selection { object[sub.responseKey] = try value(of: sub, file: file, key: key) }
                return object
            }
        case "benchmarkResults":
            let selection = try subselection(field)
            return try model.benchmarks.map { result in
                var object: [String: Any] = [:]
                for sub in selection { object[sub.responseKey] = try value(of: sub, benchmark: result) }
                return object
            }
        case "trainingResults":
            // Always empty: the catalog keeps no training results (no table in migrations/, no field in
            // stubs.json or catalog files, and registry answers' results are not imported); docs/api.md.
            _ = try subselection(field)
            return [Any]()
        default:
            throw GraphQLError("Cannot query field \"\(field.name)\" on type \"Model\".")
        }
    }

    /// One file of a model as the API lists it.
    private struct ListedFile {
        var name: String
        var kind: String
        var size: Int64?
        var sha256: String?
    }

    /// The files sparsezoo downloads: the catalog's files and recipes, each once.
    private func files(of model: ModelRecord) -> [ListedFile] {
        var files = model.files.map { ListedFile(name: $0.name, kind: $0.kind, size: $0.size, sha256: $0.sha256) }
        for recipe in model.recipes where !files.contains(where: { $0.name == recipe.name }) {
            files.append(ListedFile(name: recipe.name, kind: "recipe", size: recipe.size, sha256: recipe.sha256))
        }
        return files
    }

    private func value(of field: GraphQLDocument.Field, file: ListedFile, key: ModelKey) throws -> Any {
        switch field.name {
        case "displayName": return file.name
        case "downloadUrl", "url": return baseURL + FileRoutes.path(key, name: file.name)
        case "fileSize": return file.size.map { $0 as Any } ?? NSNull()
        case "fileType": return file.kind.isEmpty || file.kind == "other" ? FileKind.guess(file.name) : file.kind
        case "modelId": return Self.modelID(key)
        case "sha256": return file.sha256 ?? NSNull()
        case "checkpoint": return false
        default: throw GraphQLError("Cannot query field \"\(field.name)\" on type \"File\".")
        }
    }

    private func value(of field: GraphQLDocument.Field, benchmark: BenchmarkRecord) throws -> Any {
        switch field.name {
        case "batchSize": return benchmark.batchSize
        case "deviceInfo": return benchmark.machine ?? benchmark.isa ?? "unknown"
        case "numCores": return benchmark.numCores
        case "numStreams": return benchmark.numStreams
        case "recordedUnits": return "items/seconds"
        case "recordedValue": return benchmark.itemsPerSecond
        case "scenario": return benchmark.scenario
        case "runtime": return benchmark.engine
        default: throw GraphQLError("Cannot query field \"\(field.name)\" on type \"BenchmarkResult\".")
        }
    }

    private func subselection(_ field: GraphQLDocument.Field) throws -> [GraphQLDocument.Field] {
        guard let selection = field.selection else {
            throw GraphQLError("Field \"\(field.name)\" must have a selection of subfields.")
        }
        return selection
    }

    /// A stable UUID-shaped id for a model, from its namespace and repoName.
    static func modelID(_ key: ModelKey) -> String {
        let hex = Array(SHA256.hex(of: Data(key.description.utf8)).prefix(32))
        return [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
