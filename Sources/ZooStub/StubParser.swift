/// Reads a stub left to right, one segment at a time, and reports the first character that breaks the grammar.
///
/// Segments are `[A-Za-z0-9._]+` (stricter than sparsezoo's `[.A-z0-9_]`) and the whole string must match.
/// A body containing `/` is read as the long form, any other as the short form.
struct StubParser {
    private let input: String
    private let prefixRule: Stub.PrefixRule
    private var cursor: StubCursor

    init(text: String, prefixRule: Stub.PrefixRule) {
        input = text
        self.prefixRule = prefixRule
        cursor = StubCursor(text: text)
    }

    mutating func parse() throws -> Stub {
        if !cursor.consume(Stub.prefix), prefixRule == .required {
            throw cursor.error(field: nil, expected: "the prefix 'zoo:' (a string without it is read as a path\(suggestion))")
        }
        let body: Stub.Body = cursor.restOfBodyContains("/") ? .long(try parseLong()) : .short(try parseShort())
        var query = StubQuery()
        if cursor.consume("?") {
            query = try parseQuery()
        }
        return Stub(body: body, query: query)
    }

    /// For a string that lacks only the prefix (sparsezoo's Python API accepts such stubs), the stub to type instead.
    private var suggestion: String {
        var withPrefix = StubParser(text: Stub.prefix + input, prefixRule: .required)
        guard (try? withPrefix.parse()) != nil else { return "" }
        return "; did you mean '\(Stub.prefix)\(input)'?"
    }

    private mutating func parseLong() throws -> LongStub {
        let domain = try cursor.segment("domain", then: ["/"])
        let subDomain = try cursor.segment("sub_domain", then: ["/"])
        let architecture = try cursor.segment("architecture", then: ["-", "/"])
        let subArchitecture = cursor.last == "-" ? try cursor.segment("sub_architecture", then: ["/"]) : nil
        let framework = try cursor.segment("framework", then: ["/"])
        let repo = try cursor.segment("repo", then: ["/"])
        let dataset = try cursor.segment("dataset", then: ["-", "/"])
        let trainingScheme = cursor.last == "-" ? try cursor.segment("training_scheme", then: ["/"]) : nil
        let name = try cursor.segment("sparse_name", then: ["-", nil])
        let category = cursor.last == "-" ? try cursor.segment("sparse_category", then: ["-", nil]) : nil
        let target = cursor.last == "-" ? try cursor.segment("sparse_target", then: [nil]) : nil
        return LongStub(
            domain: domain, subDomain: subDomain, architecture: architecture, subArchitecture: subArchitecture,
            framework: framework, repo: repo, dataset: dataset, trainingScheme: trainingScheme,
            sparseTag: SparseTag(name: name, category: category, target: target)
        )
    }

    private mutating func parseShort() throws -> ShortStub {
        var segments: [String] = []
        repeat {
            let field = segments.count < 2 ? "short stub segment \(segments.count + 1)" : "sparse_tag or dataset"
            if segments.count == 4 {
                segments.append(try cursor.segment("sparse_tag", then: [nil]))
            } else {
                segments.append(try cursor.segment(field, then: ["-", nil]))
            }
        } while cursor.last == "-"
        guard segments.count >= 3 else {
            throw cursor.error(
                field: "sparse_tag",
                expected: "'-' and another segment (a short stub is arch[-sub_arch]-dataset[-dataset]-tag)"
            )
        }
        let tag = segments.removeLast()
        switch segments.count {
        case 2: return ShortStub(architecture: segments[0], sourceDataset: segments[1], sparseTag: tag)
        case 3:
            return ShortStub(
                architecture: segments[0], subArchitecture: segments[1], sourceDataset: segments[2], sparseTag: tag)
        default:
            return ShortStub(
                architecture: segments[0], subArchitecture: segments[1], sourceDataset: segments[2],
                trainingDataset: segments[3], sparseTag: tag)
        }
    }

    private mutating func parseQuery() throws -> StubQuery {
        var query = StubQuery()
        repeat {
            let keyColumn = cursor.column
            let keyText = cursor.run { $0 != "=" && $0 != "&" && $0 != "?" }
            let expectedKeys = StubQuery.Key.allCases.map(\.rawValue).joined(separator: ", ")
            guard let key = StubQuery.Key(rawValue: keyText) else {
                if keyText.isEmpty { throw cursor.error(field: "query", expected: "a query key: one of \(expectedKeys)") }
                throw cursor.error(
                    at: keyColumn, field: "query", found: "'\(keyText)'", expected: "a query key: one of \(expectedKeys)")
            }
            guard query[key] == nil else {
                throw cursor.error(
                    at: keyColumn, field: "query", found: "'\(keyText)' a second time", expected: "each key at most once")
            }
            guard cursor.consume("=") else {
                throw cursor.error(field: key.rawValue, expected: "'=' and a value after '\(key.rawValue)'")
            }
            let valueColumn = cursor.column
            let value = cursor.run(while: StubCursor.isValueCharacter)
            if let allowed = Self.allowedValues(for: key), !allowed.contains(value) {
                throw cursor.error(
                    at: valueColumn, field: key.rawValue, found: value.isEmpty ? "an empty value" : "'\(value)'",
                    expected: "one of \(allowed.joined(separator: ", "))")
            }
            query[key] = value
            guard cursor.isAtEnd || cursor.peek == "&" else {
                throw cursor.error(
                    field: key.rawValue, expected: "a letter, digit, '.', '_' or '-' in the value, '&' or end of stub")
            }
        } while cursor.consume("&")
        return query
    }

    private static func allowedValues(for key: StubQuery.Key) -> [String]? {
        switch key {
        case .checkpoint: return StubQuery.checkpointValues
        case .deployment: return StubQuery.deploymentValues
        case .recipe, .recipeType: return nil
        }
    }
}
