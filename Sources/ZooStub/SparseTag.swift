/// The last part of a long stub: `SPARSE_NAME[-SPARSE_CATEGORY[-SPARSE_TARGET]]`.
///
/// `pruned95_quant-none-vnni` is name `pruned95_quant`, category `none`, target `vnni`.
public struct SparseTag: Hashable, Sendable, CustomStringConvertible {
    /// What was done: `base`, `pruned95`, `pruned_quant`, `12layer_pruned80_quant`.
    public var name: String
    /// How aggressively, as accuracy recovery: `none`, `moderate`, `aggressive_94`.
    public var category: String?
    /// The deployment target the model was shaped for: `vnni`, `edge`.
    public var target: String?

    /// Creates a sparse tag; a target needs a category before it.
    public init(name: String, category: String? = nil, target: String? = nil) {
        precondition(target == nil || category != nil, "a sparse target needs a sparse category")
        self.name = name
        self.category = category
        self.target = target
    }

    /// The tag as written in a stub.
    public var description: String {
        [name, category, target].compactMap { $0 }.joined(separator: "-")
    }
}
