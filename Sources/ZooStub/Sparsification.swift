/// What a sparse tag says about pruning and quantization, for search filters and listings.
///
/// Read from the tag's words: `pruned95` → 95 % sparse, `base` → dense, `quant`/`quantized`/`quantW8A8`
/// → quantized, a `.4block` word or the `vnni` target → 4-block structured. Categories such as
/// `aggressive_94` measure accuracy recovery, not sparsity, and are not read as a percentage.
public struct Sparsification: Hashable, Sendable {
    /// The weight sparsity in percent when the tag states it (`0` for `base`), else `nil`.
    public var sparsityPercent: Int?
    /// Whether the tag says the model is pruned (with or without a stated percentage).
    public var isPruned: Bool
    /// Whether the tag says the model is quantized.
    public var isQuantized: Bool
    /// Whether the pruning is in blocks of four (`.4block`, or the v1 `vnni` target).
    public var isBlockStructured: Bool

    /// Reads the traits of a sparse tag in either stub form.
    public init(tag: String) {
        let words = tag.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).map(String.init)
        var percent: Int?
        var pruned = false
        for word in words where word.hasPrefix("pruned") {
            pruned = true
            if percent == nil, let value = Int(word.dropFirst("pruned".count)), (0...100).contains(value) {
                percent = value
            }
        }
        if !pruned, words.first == "base" { percent = 0 }
        sparsityPercent = percent
        isPruned = pruned
        isQuantized = words.contains { $0.hasPrefix("quant") }
        isBlockStructured = words.contains("4block") || words.last == "vnni"
    }

    /// Short labels for listings: `pruned95`, `quant`, `4block`.
    public var labels: [String] {
        var labels: [String] = []
        if isPruned { labels.append(sparsityPercent.map { "pruned\($0)" } ?? "pruned") }
        if isQuantized { labels.append("quant") }
        if isBlockStructured { labels.append("4block") }
        return labels
    }
}
