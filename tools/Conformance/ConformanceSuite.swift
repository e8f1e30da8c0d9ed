import Foundation

/// Runs the supported cases of an exported conformance directory and tallies them against the
/// skip list: a supported case that fails is a failure unless the skip list names it as a known
/// failure; an unsupported case is skipped, and must be listed too, so the list stays true.
struct ConformanceSuite {
    let directory: URL
    let index: CaseIndex
    let skipList: SkipList
    let filter: String?
    let verbose: Bool
    let threads: Int

    /// The tallies printed in the final line.
    struct Tally {
        var passed = 0, failed = 0, skipped = 0
    }

    /// Runs everything, printing one line per failure (and per case with `verbose`).
    func run() -> Tally {
        var tally = Tally()
        let runner = CaseRunner(directory: directory, threads: threads)
        for c in index.cases where filter.map({ c.name.contains($0) }) ?? true {
            if let reason = CaseSupport.unsupportedReason(c) {
                tally.skipped += 1
                if skipList.unsupported[c.name] == nil && skipList.knownFailures[c.name] == nil {
                    tally.failed += 1
                    tally.skipped -= 1
                    print("FAIL \(c.name): unsupported (\(reason)) but not in the skip list; regenerate it with --write-skips")
                } else if verbose {
                    print("skip \(c.name): \(reason)")
                }
                continue
            }
            CrashReporter.running(c.name)
            let start = ContinuousClock.now
            let failure = runner.failure(of: c)
            let seconds = (ContinuousClock.now - start).components
            let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) * 1e-18
            let timing = String(format: "%.2f s", elapsed)
            if let stale = skipList.unsupported[c.name] {
                tally.failed += 1
                print("FAIL \(c.name): listed as unsupported (\(stale)) but the engine supports it now\(failure.map { " (and it fails: \($0))" } ?? ""); regenerate the skip list with --write-skips")
            } else if let failure {
                if let known = skipList.knownFailures[c.name] {
                    tally.skipped += 1
                    if verbose { print("skip \(c.name): known failure (\(known)): \(failure)") }
                } else {
                    tally.failed += 1
                    print("FAIL \(c.name): \(failure)")
                }
            } else if let known = skipList.knownFailures[c.name] {
                tally.failed += 1
                print("FAIL \(c.name): passes, but the skip list calls it a known failure (\(known)); remove it from the list")
            } else {
                tally.passed += 1
                if verbose { print("pass \(c.name) (\(timing))") }
            }
        }
        return tally
    }

    /// The skip list with its generated section recomputed from the engine's registry.
    func regeneratedSkipList() -> SkipList {
        var list = skipList
        list.unsupported = [:]
        for c in index.cases {
            if let reason = CaseSupport.unsupportedReason(c) { list.unsupported[c.name] = reason }
        }
        return list
    }
}
