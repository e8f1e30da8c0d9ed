/// A SparseZoo model stub: `zoo:` followed by a long (v1) or short (v2) body and an optional query.
///
/// Parse with ``Stub/init(parsing:prefix:)``; `description` gives the canonical form, which parses
/// back to an equal value. The canonical form always carries the `zoo:` prefix and lists query keys
/// in the fixed order of ``StubQuery/Key``.
public struct Stub: Hashable, Sendable, CustomStringConvertible {
    /// The two body forms SparseZoo defines.
    public enum Body: Hashable, Sendable {
        /// `domain/sub_domain/arch[-sub_arch]/framework/repo/dataset[-scheme]/sparse_tag`
        case long(LongStub)
        /// `arch[-sub_arch]-dataset[-training_dataset]-tag`, which is the model's repoName.
        case short(ShortStub)
    }

    /// Whether a parse insists on the `zoo:` prefix.
    public enum PrefixRule: Sendable {
        /// The command line's rule: a string without `zoo:` is a path, not a stub.
        case required
        /// Catalog files may list stubs without the prefix, as sparsezoo accepts them.
        case optional
    }

    /// The text every canonical stub starts with.
    public static let prefix = "zoo:"

    /// The stub body.
    public var body: Body
    /// The `?key=value&…` part; empty when the stub has none.
    public var query: StubQuery

    /// Creates a stub from its parts.
    public init(body: Body, query: StubQuery = StubQuery()) {
        self.body = body
        self.query = query
    }

    /// Parses `text` as a stub, or throws a ``StubError`` naming the column, what was found and what was expected.
    public init(parsing text: String, prefix rule: PrefixRule = .required) throws {
        var parser = StubParser(text: text, prefixRule: rule)
        self = try parser.parse()
    }

    /// The body without `zoo:` and the query: the string SparseZoo matches against its catalog.
    public var bodyText: String {
        switch body {
        case .long(let long): return long.description
        case .short(let short): return short.description
        }
    }

    /// The stub's sparse tag, as written (`pruned95_quant-none-vnni`, `pruned80.4block_quantized`).
    public var sparseTag: String {
        switch body {
        case .long(let long): return long.sparseTag.description
        case .short(let short): return short.sparseTag
        }
    }

    /// The model family (`resnet_v1`, `bert`, `yolov5`).
    public var architecture: String {
        switch body {
        case .long(let long): return long.architecture
        case .short(let short): return short.architecture
        }
    }

    /// What pruning and quantization the sparse tag announces.
    public var sparsification: Sparsification { Sparsification(tag: sparseTag) }

    /// The same stub with no query: the identity of the model it names.
    public var withoutQuery: Stub { Stub(body: body) }

    /// The canonical form: `zoo:` + body + query.
    public var description: String {
        let query = self.query.description
        return Stub.prefix + bodyText + (query.isEmpty ? "" : "?" + query)
    }
}
