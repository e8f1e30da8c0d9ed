import ArgumentParser
import ZooCatalog

extension Zoo {
    /// `zoo search [TEXT] [filters]`: models in the catalog.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the catalog by text and filters.")

        @Argument(help: "Text to find in stubs and model names (case-insensitive).")
        var text: String?

        @Option(help: "Domain: cv, nlp, nlg.")
        var domain: String?

        @Option(help: "Task (the stub's sub_domain): classification, detection, question_answering, …")
        var task: String?

        @Option(name: .customLong("arch"), help: "Architecture: resnet_v1, bert, yolov5, …")
        var architecture: String?

        @Option(help: "Data set; 'squad' also matches 'squad_wikipedia_bookcorpus'.")
        var dataset: String?

        @Option(help: ArgumentHelp("Only models at least N percent sparse.", valueName: "N"))
        var sparsity: Int?

        @Flag(inversion: .prefixedNo, help: "Only quantized (or, with --no-quantized, only unquantized) models.")
        var quantized: Bool?

        @Option(help: "Show at most N models.")
        var limit: Int?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let sparsity, !(0...100).contains(sparsity) {
                throw ValidationError("--sparsity takes a percentage from 0 to 100, not \(sparsity)")
            }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try reportingErrors {
                let filter = SearchFilter(
                    text: text, domain: domain, task: task, architecture: architecture, dataset: dataset,
                    minimumSparsity: sparsity, quantized: quantized, limit: limit)
                let models = try DaemonSession.current()?.search(filter) ?? Catalog.open(home: ZooHome()).search(filter)
                if output.json {
                    try printJSON(SearchResults(count: models.count, models: models))
                    return
                }
                guard !models.isEmpty else {
                    printError("no model in the catalog matches; try fewer filters")
                    throw ExitCode(ExitStatus.notFound)
                }
                var table = TextTable(columns: ["STUB", "TASK", "TAGS"])
                for model in models {
                    let task = [model.domain, model.task].compactMap { $0 }.joined(separator: "/")
                    table.append([model.stub, task.isEmpty ? "-" : task, model.tags])
                }
                print(table.rendered)
                print("\(models.count) model\(models.count == 1 ? "" : "s")")
            }
        }
    }
}

/// The JSON document of `zoo search --json`.
struct SearchResults: Encodable {
    var count: Int
    var models: [ModelRecord]
}
