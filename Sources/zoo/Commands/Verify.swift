import ArgumentParser
import ZooStore

extension Zoo {
    /// `zoo verify STUB --files`: checks a cached model's files against their digests.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a cached model: every file present with its size, and with --files re-hashed against its sha256.",
            discussion: "A damaged file is removed from the cache, so the next `zoo pull` fetches it again. Exits 1 when anything is wrong.")

        @Argument(help: "A stub of a cached model.")
        var stub: String

        @Flag(help: "Re-hash every file (reads all of it).")
        var files = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let context = try CacheContext()
                let report = try context.store.verify(try context.key(for: stub), rehash: files)
                if output.json {
                    try printJSON(report)
                } else {
                    var table = TextTable(columns: ["FILE", "STATUS", "SHA256"])
                    for file in report.files { table.append([file.name, file.status, String(file.sha256.prefix(16))]) }
                    print(table.rendered)
                    print(report.ok ? "ok: \(report.files.count) file(s)\(files ? " re-hashed" : "")"
                                    : "damaged files were removed from the cache; run `zoo pull \(stub)` to fetch them again")
                }
                if !report.ok { throw ExitCode(ExitStatus.failure) }
            }
        }
    }
}
