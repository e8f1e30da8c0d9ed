import ZooStub

/// The SparseZoo API's model query, byte for byte as sparsezoo 1.8.1 builds it (research/sparsezoo.md §2.2):
/// v1 stubs by their fields (sub_domain → task, dataset → sourceDataset, training scheme dropped), v2 stubs by
/// repoName, with the default field selection.
enum GraphQLQuery {
    static let modelFields = "modelId modelOnnxSizeCompressedBytes files(version: 2) { displayName downloadUrl fileSize fileType modelId } benchmarkResults { batchSize deviceInfo numCores recordedUnits recordedValue } trainingResults { datasetName datasetType recordedUnits recordedValue } repoName repoNamespace"

    /// The query body for the model `stub` names.
    static func model(_ stub: Stub) -> String {
        "{ models \(arguments(stub)) { \(modelFields) } }"
    }

    /// A query that any SparseZoo API answers with `data`, used to tell one from a static tree.
    static let probe = #"{ models (repoName: "zoo-registry-probe",) { repoName } }"#

    static func arguments(_ stub: Stub) -> String {
        var pairs: [(String, String)] = []
        switch stub.body {
        case .long(let long):
            pairs = [("domain", long.domain), ("task", long.subDomain), ("architecture", long.architecture)]
            if let sub = long.subArchitecture { pairs.append(("subArchitecture", sub)) }
            pairs += [("framework", long.framework), ("repo", long.repo), ("sourceDataset", long.dataset),
                      ("sparseTag", long.sparseTag.description)]
        case .short(let short):
            pairs = [("repoName", short.repoName)]
        }
        return "(" + pairs.map { "\($0.0): \"\(escape($0.1))\"," }.joined() + ")"
    }

    /// Stub segments are `[A-Za-z0-9._]`, so nothing needs escaping today; quote and backslash are escaped anyway.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
