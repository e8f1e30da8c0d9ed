import ArgumentParser
import ZooStore

extension Zoo {
    /// `zoo gc`: shrinks the cache under a size budget, least recently used first.
    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Free space: remove least recently used models beyond --max-size, unused blobs and leftovers of killed pulls.",
            discussion: "Never removes a pinned model or one being pulled. Leftover partial downloads are removed too, so a killed pull starts over.")

        @Option(help: ArgumentHelp("Keep the cache at most this big: 20G, 500MB, 1.5GiB or bytes.", valueName: "size"))
        var maxSize: String?

        @Flag(help: "Show what would be removed; remove nothing.")
        var dryRun = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                var limit: Int64?
                if let maxSize {
                    guard let bytes = ByteCount.parse(maxSize) else {
                        throw ValidationError("--max-size takes a size such as 20G, 500MB or 1.5GiB, not '\(maxSize)'")
                    }
                    limit = bytes
                }
                let report = try DaemonSession.current()?.collectGarbage(maxSize: limit, dryRun: dryRun)
                    ?? CacheContext().store.collectGarbage(maxSize: limit, dryRun: dryRun)
                if output.json { return try printJSON(report) }
                let verb = dryRun ? "would remove" : "removed"
                for stub in report.removedModels { print("\(verb) \(stub)") }
                print("\(verb) \(report.removedModels.count) model(s), \(report.removedBlobs) unused blob(s), \(report.removedLeftovers) leftover(s); cache \(ByteCount.format(report.bytesBefore)) -> \(ByteCount.format(report.bytesAfter))")
                if let shortfall = report.shortfall {
                    printWarning("still \(ByteCount.format(shortfall)) over the limit: the rest is pinned or being pulled")
                }
            }
        }
    }
}
