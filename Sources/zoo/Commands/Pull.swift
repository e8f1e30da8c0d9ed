import ArgumentParser
import Foundation
import ZooStore

extension Zoo {
    /// `zoo pull STUB…`: resolve, fetch, verify and unpack models into the cache.
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch models into the cache: verified, resumable, shared safely by every zoo process.",
            discussion: "Downloads only what is not cached yet. Interrupted downloads resume where they stopped; two processes pulling the same model download it once."
        )

        @Argument(help: "Stubs, starting with zoo:.")
        var stubs: [String]

        @Flag(help: "Also fetch framework checkpoints (training/).")
        var training = false

        @OptionGroup var fetch: FetchOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let daemon = try DaemonSession.current()
                let progress = PullProgress(json: output.json)
                for text in stubs {
                    let report: PullReport
                    if let daemon {
                        report = try daemon.pull(
                            text, training: training, registry: fetch.registry ?? ProcessInfo.processInfo.environment["ZOO_REGISTRY"],
                            offline: fetch.isOffline, events: progress.handle)
                    } else {
                        let context = try CacheContext(fetch: fetch)
                        let (stub, model) = try context.model(forPull: text)
                        report = try context.store.pull(
                            model, stub: stub.description, selection: .model(includeTraining: training),
                            fetching: context.fetching, events: progress.handle)
                    }
                    progress.finish()
                    if output.json {
                        try printJSONLine(["event": "done"], report)
                    } else {
                        let fetched = report.downloaded.isEmpty ? "already cached" : "fetched \(report.downloaded.count) file(s), \(ByteCount.format(report.bytesDownloaded))"
                        print("\(report.stub)\n  \(fetched)\n  \(report.path)")
                    }
                }
            }
        }
    }
}
