import ArgumentParser
import Foundation
import ZooStore

extension Zoo {
    /// `zoo mirror export DIR [STUB…]`: writes a static registry any web server can serve.
    struct Mirror: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share cached models with other machines as a static registry.", subcommands: [Export.self])

        /// `zoo mirror export DIR [STUB…]`.
        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write cached models and an index.json into DIR; serve DIR over HTTP and set ZOO_REGISTRY to its URL.")

            @Argument(help: "The mirror directory (created if missing).")
            var directory: String

            @Argument(help: "Stubs to export (default: every complete cached model).")
            var stubs: [String] = []

            @OptionGroup var output: OutputOptions

            func run() throws {
                try reportingErrors {
                    let context = try CacheContext()
                    let keys = stubs.isEmpty ? nil : try stubs.map(context.key(for:))
                    let url = URL(fileURLWithPath: directory)
                    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                    let report = try context.store.exportMirror(to: url, keys: keys)
                    if output.json { return try printJSON(report) }
                    print("exported \(report.models.count) model(s), \(report.files) file(s), \(ByteCount.format(report.bytes)) to \(report.directory)")
                }
            }
        }
    }
}
