import ArgumentParser
import Foundation
import ZooCatalog

extension Zoo {
    /// `zoo catalog …`: the catalog's own upkeep.
    struct CatalogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Import catalogs, list them, or rebuild a damaged catalog.",
            subcommands: [Import.self, List.self, Rebuild.self]
        )
    }
}

extension Zoo.CatalogCommand {
    /// `zoo catalog import FILE`: adds a user's catalog file.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a catalog file (format: docs/catalog-format.md).",
            discussion: "Wrong entries are reported by index and the rest imported; the exit status is then 2. Importing the same file again updates its models and removes those it no longer lists."
        )

        @Argument(help: "A JSON catalog file.")
        var file: String

        @Flag(help: "Import even if the file has not changed since the last import.")
        var force = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let url = URL(fileURLWithPath: file)
                let data = try Data(contentsOf: url)
                let catalog = try Catalog.open(home: ZooHome())
                let report = try catalog.importCatalog(data: data, source: url.standardizedFileURL.path, force: force)
                if output.json {
                    try printJSON(report)
                } else {
                    if report.unchanged {
                        print("\(file) is unchanged since its last import; nothing to do (--force imports it again)")
                    } else {
                        print("imported \(report.imported) model\(report.imported == 1 ? "" : "s") from \(file)"
                              + (report.removed > 0 ? ", removed \(report.removed) it no longer lists" : ""))
                    }
                    for skipped in report.skipped { printWarning("skipped \(skipped)") }
                    for problem in report.problems { printError(problem.description) }
                }
                if !report.problems.isEmpty { throw ExitCode(ExitStatus.invalidInput) }
            }
        }
    }

    /// `zoo catalog ls`: the catalog files imported so far.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the imported catalog files.")

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let catalog = try Catalog.open(home: ZooHome())
                let sources = try catalog.sources()
                if output.json {
                    try printJSON(sources)
                    return
                }
                var table = TextTable(columns: ["SOURCE", "MODELS", "IMPORTED", "SHA256"])
                for source in sources {
                    table.append([source.name, String(source.models), source.importedAt, String(source.sha256.prefix(12))])
                }
                print(table.rendered)
            }
        }
    }

    /// `zoo catalog rebuild`: sets a damaged or foreign catalog aside and starts a new one.
    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the catalog aside (kept as catalog.sqlite.broken-TIME) and create a new one from the shipped catalog.",
            discussion: "Nothing is deleted. Re-import your own catalog files afterwards with `zoo catalog import`."
        )

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let home = ZooHome()
                let setAside = try CatalogRebuild.setAside(home: home)
                let catalog = try Catalog.open(home: home)
                let count = try catalog.modelCount()
                if output.json {
                    try printJSON(["set_aside": setAside, "models": count.description])
                } else {
                    if let setAside { print("moved the old catalog to \(setAside)") }
                    print("new catalog at \(home.catalogPath) with \(count) models from the shipped catalog")
                }
            }
        }
    }
}
