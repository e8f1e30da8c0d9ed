import Foundation

/// A catalog file (`stubs.json` or a user's): a list of models with their stubs, files and recipes.
///
/// The format is documented in docs/catalog-format.md. Entries are decoded one by one, so a wrong entry
/// is reported by index while the rest are imported.
public struct CatalogFile: Decodable {
    /// Always `zoo-catalog`.
    public var format: String
    /// The format version; this zoo reads version 1.
    public var version: Int
    /// A short name for listings.
    public var name: String?
    /// The namespace of entries that do not name one (default `neuralmagic`).
    public var namespace: String?
    /// Each entry, or why it could not be decoded.
    public var entries: [Result<CatalogEntry, Error>]

    private enum CodingKeys: String, CodingKey { case format, version, name, namespace, models }

    /// Reads a catalog from JSON bytes.
    public static func decode(_ data: Data, source: String) throws -> CatalogFile {
        do {
            let file = try JSONDecoder().decode(CatalogFile.self, from: data)
            guard file.format == "zoo-catalog" else {
                throw CatalogError(.invalidCatalogFile, "\(source) is not a zoo catalog (format is '\(file.format)', expected 'zoo-catalog')")
            }
            guard file.version == 1 else {
                throw CatalogError(.invalidCatalogFile, "\(source) is catalog format version \(file.version); this zoo reads version 1, upgrade zoo")
            }
            return file
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.invalidCatalogFile, "\(source) is not a readable zoo catalog: \(DecodingProblem(error))")
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        entries = try container.decode([EntryResult].self, forKey: .models).map(\.result)
    }

    /// Decodes one entry without letting its failure fail the whole file.
    private struct EntryResult: Decodable {
        let result: Result<CatalogEntry, Error>
        init(from decoder: Decoder) throws { result = Result { try CatalogEntry(from: decoder) } }
    }
}

/// A model as a catalog file lists it, before validation.
public struct CatalogEntry: Codable, Sendable {
    public var stub: String
    public var namespace: String?
    public var repoName: String?
    public var repoNameSource: String?
    public var fields: [String: String?]?
    public var domain: String?
    public var task: String?
    public var aliases: [String]?
    public var displayName: String?
    public var description: String?
    public var synthetic: Bool?
    public var files: [FileEntry]?
    public var recipes: [FileEntry]?

    private enum CodingKeys: String, CodingKey {
        case stub, namespace, repoName = "repo_name", repoNameSource = "repo_name_source", fields, domain, task
        case aliases, displayName = "display_name", description, synthetic, files, recipes
    }

    /// Creates an entry naming `stub`; everything else is optional.
    public init(stub: String, namespace: String? = nil, repoName: String? = nil) {
        self.stub = stub
        self.namespace = namespace
        self.repoName = repoName
    }
}

/// A file or recipe as a catalog file lists it.
public struct FileEntry: Codable, Sendable {
    public var name: String
    public var kind: String?
    public var url: String?
    public var size: Int64?
    public var sha256: String?

    /// Creates a file entry.
    public init(name: String, kind: String? = nil, url: String? = nil, size: Int64? = nil, sha256: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.size = size
        self.sha256 = sha256
    }
}

/// A decoding error said in one line: which key, at which path, and what was wrong.
struct DecodingProblem: CustomStringConvertible {
    let error: Error
    init(_ error: Error) { self.error = error }

    var description: String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "expected \(type), found null\(path(context))"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return (underlying ?? context.debugDescription) + path(context)
        @unknown default: return "\(error)"
        }
    }
}
