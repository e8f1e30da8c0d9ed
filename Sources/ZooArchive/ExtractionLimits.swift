/// Caps that stop hostile or oversize archives.
public struct ExtractionLimits: Sendable {
    /// The largest single file, in bytes.
    public var maxEntryBytes: Int64
    /// The most bytes all entries may expand to together.
    public var maxTotalBytes: Int64
    /// The most expanded bytes per byte of the archive file. Checked as bytes flow, so a bomb is stopped early.
    public var maxExpansionRatio: Double
    /// The most entries (files, directories and links) an archive may hold.
    public var maxEntries: Int

    /// Creates limits; each defaults to the value in `ExtractionLimits.default`.
    public init(
        maxEntryBytes: Int64 = 64 << 30,
        maxTotalBytes: Int64 = 256 << 30,
        maxExpansionRatio: Double = 200,
        maxEntries: Int = 100_000
    ) {
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.maxEntries = maxEntries
    }

    /// 64 GiB per entry, 256 GiB in total, 200 expanded bytes per archive byte, 100,000 entries.
    public static let `default` = ExtractionLimits()
}
