import Foundation

/// Where `zoo mirror export` puts a model's files in a static mirror: `models/<namespace>/<repoName>/<name>`,
/// the same relative layout as the cache, so any web server can serve the tree as it is.
enum MirrorLayout {
    static func path(_ key: ModelKey, file name: String) -> String {
        "models/\(key.namespace)/\(key.repoName)/\(name)"
    }
}
