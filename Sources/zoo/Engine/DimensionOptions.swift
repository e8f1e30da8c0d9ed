import ArgumentParser

/// `--dim NAME=SIZE`, shared by `zoo run` and `zoo bench`: sizes for a model's named symbolic dimensions.
struct DimensionOptions: ParsableArguments {
    @Option(name: .customLong("dim"), help: ArgumentHelp("Size of a named symbolic input dimension (repeatable).", valueName: "NAME=SIZE"))
    var assignments: [String] = []

    /// The sizes by dimension name.
    func sizes() throws -> [String: Int] {
        try NameAssignments.parse(assignments, option: "--dim", expected: "NAME=SIZE with a positive SIZE, e.g. --dim sequence=128") { text in
            Int(text).flatMap { $0 > 0 ? $0 : nil }
        }
    }
}
