/// Counts expanded bytes against the limits: per entry, in total, and per byte of the archive file.
/// Headers are checked up front so a declared bomb is refused before any of it is decompressed, and the
/// bytes that really flow are counted as they arrive, since headers can understate them.
struct ExpansionBudget {
    private let limits: ExtractionLimits
    private let archiveBytes: Int64
    /// The bytes counted so far, over all entries.
    private(set) var totalBytes: Int64 = 0

    /// A budget for an archive file of `archiveBytes` bytes.
    init(limits: ExtractionLimits, archiveBytes: Int64) {
        self.limits = limits
        self.archiveBytes = max(archiveBytes, 1)
    }

    /// The most bytes the ratio allows for this archive.
    private var ratioAllowance: Double { Double(archiveBytes) * limits.maxExpansionRatio }

    /// Refuses `entry` if the size its header declares already passes a limit.
    func admit(_ entry: String, declaredBytes: Int64) throws {
        try check(entry, entryBytes: declaredBytes, totalBytes: totalBytes.addingClamped(declaredBytes))
    }

    /// Counts `bytes` more of `entry`, which then has `entryBytes` in all, and refuses as soon as a limit is passed.
    mutating func record(_ bytes: Int64, of entry: String, entryBytes: Int64) throws {
        let total = totalBytes.addingClamped(bytes)
        try check(entry, entryBytes: entryBytes, totalBytes: total)
        totalBytes = total
    }

    private func check(_ entry: String, entryBytes: Int64, totalBytes: Int64) throws {
        if entryBytes > limits.maxEntryBytes {
            throw ArchiveError(.entryTooLarge, entry: entry, "the archive entry \(entry) is larger than \(limits.maxEntryBytes) bytes (the limit ExtractionLimits.maxEntryBytes); the archive may be hostile, or the limit needs raising")
        }
        if totalBytes > limits.maxTotalBytes {
            throw ArchiveError(.expansionLimit, entry: entry, "the archive expands to more than \(limits.maxTotalBytes) bytes (the limit ExtractionLimits.maxTotalBytes), reached at \(entry); the archive may be hostile, or the limit needs raising")
        }
        if Double(totalBytes) > ratioAllowance {
            throw ArchiveError(.expansionLimit, entry: entry, "the archive expands to more than \(limits.maxExpansionRatio) times its \(archiveBytes) bytes (the limit ExtractionLimits.maxExpansionRatio), reached at \(entry); it looks like a decompression bomb and was not extracted")
        }
    }
}

private extension Int64 {
    /// The sum, or `Int64.max` where it would overflow (a hostile header can declare any size).
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
