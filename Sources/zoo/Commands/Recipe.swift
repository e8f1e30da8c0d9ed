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
                let recipe: RecipeText
                if let daemon = try DaemonSession.current() {
                    recipe = try daemon.recipe(stub, registry: fetch.registryList, offline: fetch.isOffline)
                } else {
                    let context = try CacheContext(fetch: fetch)
                    let (parsed, model) = try context.model(forPull: stub)
                    let report = try context.store.pull(model, stub: parsed.description, selection: .recipes, fetching: context.fetching)
                    recipe = try report.recipe(named: parsed.query.recipeName, stub: model.stub)
                }
                if output.json {
                    try printJSON(recipe)
                } else {
                    print(recipe.text, terminator: recipe.text.hasSuffix("\n") ? "" : "\n")
                }
            }
        }
    }
}
