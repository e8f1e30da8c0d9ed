import ArgumentParser
import ZooCatalog
import ZooArchive
import ZooTransfer

/// zoo's own version.
enum ZooVersion {
    static let current = "0.1.0"
}

extension Zoo {
    /// `zoo version`: zoo's version and the C libraries it runs on.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print zoo's version and the versions of its libraries.")

        @OptionGroup var output: OutputOptions

        func run() throws {
            let versions: KeyValuePairs = [
                "zoo": ZooVersion.current, "sqlite": SQLiteLibrary.version, "libcurl": CurlLibrary.version,
                "libarchive": ArchiveLibrary.version,
            ]
            if output.json {
                try printJSON(Dictionary(uniqueKeysWithValues: versions.map { ($0.key, $0.value) }))
            } else {
                var list = FieldList()
                for (name, version) in versions { list.add(name, version) }
                print(list.rendered)
            }
        }
    }
}
