import ArgumentParser
import ZooCatalog
import ZooStub

extension Zoo {
    /// `zoo resolve STUB`: the stub's parsed fields, canonical form and catalog match.
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse a stub and look it up in the catalog.",
            discussion: "Exits 0 when the catalog has the model, 3 when it does not (the nearest known stubs are listed), 2 for a malformed stub."
        )

        @Argument(help: "A stub, starting with zoo:.")
        var stub: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let parsed = try Stub(parsing: stub)
                let (model, nearest) = try DaemonSession.current()?.resolve(parsed) ?? {
                    let catalog = try Catalog.open(home: ZooHome())
                    let model = try catalog.resolve(parsed).map(catalog.details(of:))
                    return (model, model == nil ? try catalog.nearestStubs(to: parsed) : [])
                }()
                let resolution = StubResolution(input: stub, stub: parsed, model: model, nearest: nearest)
                if output.json {
                    try printJSON(resolution)
                } else {
                    print(resolution.humanReadable)
                }
                if model == nil { throw ExitCode(ExitStatus.notFound) }
            }
        }
    }
}
