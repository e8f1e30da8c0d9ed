/// The query string of a stub: `?recipe=…&recipe_type=…&checkpoint=…&deployment=…`.
///
/// Values are taken as written (sparsezoo does no percent-decoding). Each key may appear once.
public struct StubQuery: Hashable, Sendable, CustomStringConvertible {
    /// The keys sparsezoo 1.8 accepts, in canonical order.
    public enum Key: String, CaseIterable, Sendable {
        /// Selects `recipe_<value>*.md` among the model's recipes.
        case recipe
        /// The legacy (v0) name of `recipe`, used only to pick the default recipe.
        case recipeType = "recipe_type"
        /// A training checkpoint; one of ``StubQuery/checkpointValues``.
        case checkpoint
        /// A deployment variant; only `default` exists.
        case deployment
    }

    /// The values `checkpoint=` accepts.
    public static let checkpointValues = ["prepruning", "postpruning", "preqat", "postqat"]
    /// The values `deployment=` accepts.
    public static let deploymentValues = ["default"]

    private var values: [Key: String]

    /// An empty query.
    public init() { values = [:] }

    /// The value given for `key`, if any (possibly empty: `?recipe=`).
    public subscript(key: Key) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// Whether no key is set.
    public var isEmpty: Bool { values.isEmpty }

    /// The recipe the query asks for: `recipe`, else the legacy `recipe_type`.
    public var recipeName: String? { values[.recipe] ?? values[.recipeType] }

    /// The query in canonical key order, without the leading `?`.
    public var description: String {
        Key.allCases.compactMap { key in values[key].map { "\(key.rawValue)=\($0)" } }.joined(separator: "&")
    }
}
