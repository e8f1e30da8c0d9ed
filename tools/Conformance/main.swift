// zoo-conformance: the ONNX backend conformance cases and whole-model ONNX Runtime checks,
// run through SparseEngine. See docs/conformance.md.
import Foundation

/// Writes `zoo-conformance: MESSAGE` to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("zoo-conformance: \(message)\n".utf8))
}

/// Runs the command and returns the exit status.
func main() -> Int32 {
    do {
        let options = try Options(Array(CommandLine.arguments.dropFirst()))
        switch options.mode {
        case .reference(let model, let directory):
            let check = ReferenceCheck(model: model, referenceDirectory: directory, maxError: options.maxError, threads: options.threads)
            var ok = true
            for result in try check.run() {
                let verdict = result.passed ? "ok" : "FAIL"
                print(String(format: "%@ %@: output '%@' max relative error %.2e (limit %.0e)",
                             verdict, model.deletingLastPathComponent().lastPathComponent, result.output, result.error, options.maxError))
                ok = ok && result.passed
            }
            return ok ? 0 : 1
        case .cases(let directory):
            let index = try CaseIndex.load(from: directory)
            let skipList = try options.skipList.map { try SkipList(contentsOf: $0) } ?? SkipList()
            CrashReporter.install()
            let suite = ConformanceSuite(directory: directory, index: index, skipList: skipList, filter: options.filter,
                                         verbose: options.verbose, threads: options.threads)
            if let target = options.writeSkips {
                let existing = try SkipList(contentsOf: target)
                let list = ConformanceSuite(directory: directory, index: index, skipList: existing, filter: nil,
                                            verbose: false, threads: options.threads).regeneratedSkipList()
                try list.write(to: target, onnxVersion: index.onnxVersion)
                print("wrote \(list.unsupported.count) unsupported cases to \(target.path)")
                return 0
            }
            let tally = suite.run()
            print("conformance: \(tally.passed) passed, \(tally.failed) failed, \(tally.skipped) skipped")
            return tally.failed == 0 ? 0 : 1
        }
    } catch let error as ConformanceError {
        printError(error.message)
        return error.code == .usage ? 2 : 1
    } catch {
        printError("\(error)")
        return 1
    }
}

exit(main())
