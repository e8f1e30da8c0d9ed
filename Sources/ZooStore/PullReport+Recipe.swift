import Foundation

/// A model's recipe as `zoo recipe` prints it.
public struct RecipeText: Sendable, Codable, Equatable {
    /// The catalog's stub of the model.
    public var stub: String
    /// The recipe's file name in the model directory, and its path.
    public var name: String
    public var path: String
    /// The recipe itself.
    public var text: String
}

extension PullReport {
    /// The recipe that `name` (a stub's `?recipe=NAME`) picks among those this pull put in the model directory:
    /// `recipe_NAME.md`, `recipe_NAME` or `NAME`; without a name `recipe.md`, else the first there. `stub` is the
    /// catalog's stub of the model. Throws ``StoreError/Code/notCached``, naming the recipes there, when none fits.
    public func recipe(named name: String?, stub: String) throws -> RecipeText {
        let available = (downloaded + reused).filter { !$0.contains("/") && $0.hasPrefix("recipe") }.sorted()
        let wanted = name.map { ["recipe_\($0).md", "recipe_\($0)", $0] } ?? ["recipe.md"]
        guard let chosen = wanted.first(where: available.contains) ?? (name == nil ? available.first : nil) else {
            throw StoreError(.notCached, "\(stub) has no recipe named \(name ?? "recipe.md"); it has: \(available.joined(separator: ", "))")
        }
        let file = URL(fileURLWithPath: path).appendingPathComponent(chosen)
        return RecipeText(stub: stub, name: chosen, path: file.path, text: try String(contentsOf: file, encoding: .utf8))
    }
}
