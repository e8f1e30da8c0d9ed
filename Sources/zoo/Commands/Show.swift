import ArgumentParser
import ZooCatalog
import ZooStub

extension Zoo {
    /// `zoo show STUB`: the catalog record with files, recipes and benchmark results.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model's catalog record: stubs, files, recipes, results.")

        @Argument(help: "A stub, starting with zoo:.")
        var stub: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let parsed = try Stub(parsing: stub)
                let details = try DaemonSession.current()?.show(parsed) ?? {
                    let catalog = try Catalog.open(home: ZooHome())
                    guard let model = try catalog.resolve(parsed) else {
                        throw NotInCatalog(stub: parsed, nearest: try catalog.nearestStubs(to: parsed))
                    }
                    return try catalog.details(of: model)
                }()
                if output.json {
                    try printJSON(details)
                } else {
                    print(details.humanReadable)
                }
            }
        }
    }
}
