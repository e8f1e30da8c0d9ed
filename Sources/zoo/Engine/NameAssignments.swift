/// Repeatable `NAME=VALUE` options (`--dim NAME=SIZE`, `--value NAME=NUMBER`) read into values by name.
enum NameAssignments {
    /// Each of `assignments` split at its first `=` and its value read by `value`; an empty name or a value `value`
    /// refuses is an `.invalidOption` error: `OPTION 'TEXT' is not EXPECTED`.
    static func parse<Value>(_ assignments: [String], option: String, expected: String,
                             _ value: (String) -> Value?) throws -> [String: Value] {
        var values: [String: Value] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let parsed = value(parts[1]) else {
                throw EngineCommandError(.invalidOption, "\(option) '\(assignment)' is not \(expected)")
            }
            values[parts[0]] = parsed
        }
        return values
    }
}
