import ArgumentParser

/// `--dim NAME=SIZE`, shared by `zoo run` and `zoo bench`: sizes for a model's named symbolic dimensions.
struct DimensionOptions: ParsableArguments {
    @Option(name: .customLong("dim"), help: ArgumentHelp("Size of a named symbolic input dimension (repeatable).", valueName: "NAME=SIZE"))
    var assignments: [String] = []

    /// The sizes by dimension name.
    func sizes() throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let size = Int(parts[1]), size > 0 else {
                throw EngineCommandError(.invalidOption, "--dim '\(assignment)' is not NAME=SIZE with a positive SIZE, e.g. --dim sequence=128")
            }
            sizes[parts[0]] = size
        }
        return sizes
    }
}
