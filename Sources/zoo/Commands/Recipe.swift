import ArgumentParser
import Foundation
import ZooStore

extension Zoo {
    /// `zoo recipe STUB`: prints a model's sparsification recipe, fetching just the recipe if needed.
    struct Recipe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model's recipe (the stub's ?recipe=NAME picks recipe_NAME.md).")

        @Argument(help: "A stub, starting with zoo:, optionally with ?recipe=NAME.")
        var stub: String

        @OptionGroup var fetch: FetchOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let context = try CacheContext(fetch: fetch)
                let (parsed, model) = try context.model(forPull: stub)
                let report = try context.store.pull(model, stub: parsed.description, selection: .recipes, fetching: context.fetching)
                let directory = URL(fileURLWithPath: report.path)
                let available = (report.downloaded + report.reused).filter { !$0.contains("/") && $0.hasPrefix("recipe") }.sorted()
                let wanted = parsed.query.recipeName.map { ["recipe_\($0).md", "recipe_\($0)", $0] } ?? ["recipe.md"]
                guard let name = wanted.first(where: available.contains) ?? (parsed.query.recipeName == nil ? available.first : nil) else {
                    throw ExitCodeMessage(
                        status: ExitStatus.notFound,
                        message: "\(model.stub) has no recipe named \(parsed.query.recipeName ?? "recipe.md"); it has: \(available.joined(separator: ", "))")
                }
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                if output.json {
                    try printJSON(["stub": model.stub, "name": name, "path": directory.appendingPathComponent(name).path, "text": text])
                } else {
                    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                }
            }
        }
    }
}
