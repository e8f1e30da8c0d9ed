import Foundation

/// The command line of `zoo-conformance`.
struct Options {
    /// What to do.
    enum Mode {
        /// Run the cases in a directory.
        case cases(URL)
        /// Compare one model with ONNX Runtime's saved outputs.
        case reference(model: URL, directory: URL)
    }

    static let usage = """
    usage: zoo-conformance CASES_DIR [--skip-list FILE] [--filter SUBSTR] [--verbose] [--threads N]
           zoo-conformance CASES_DIR --write-skips FILE
           zoo-conformance --reference MODEL REF_DIR [--max-error E] [--threads N]

    Runs the ONNX backend conformance cases exported by scripts/onnx_conformance_export.py
    through the engine, or (--reference) checks one model against the outputs saved by
    scripts/ort_reference.py.
    """

    var mode: Mode
    var skipList: URL?
    var writeSkips: URL?
    var filter: String?
    var verbose = false
    var threads = 2
    var maxError = 1e-4

    init(_ arguments: [String]) throws {
        var positional: [String] = []
        var reference = false
        var skipList: URL?, writeSkips: URL?, filter: String?
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = iterator.next() else { throw ConformanceError(.usage, "\(flag) needs a value\n\n\(Self.usage)") }
            return v
        }
        while let argument = iterator.next() {
            switch argument {
            case "--skip-list": skipList = URL(fileURLWithPath: try value(argument))
            case "--write-skips": writeSkips = URL(fileURLWithPath: try value(argument))
            case "--filter": filter = try value(argument)
            case "--verbose", "-v": verbose = true
            case "--reference": reference = true
            case "--threads":
                guard let n = Int(try value(argument)), n > 0 else { throw ConformanceError(.usage, "--threads needs a positive integer") }
                threads = n
            case "--max-error":
                guard let e = Double(try value(argument)), e >= 0 else { throw ConformanceError(.usage, "--max-error needs a non-negative number") }
                maxError = e
            case "-h", "--help": throw ConformanceError(.usage, Self.usage)
            default:
                if argument.hasPrefix("-") { throw ConformanceError(.usage, "unknown option '\(argument)'\n\n\(Self.usage)") }
                positional.append(argument)
            }
        }
        if reference {
            guard positional.count == 2 else { throw ConformanceError(.usage, "--reference needs MODEL and REF_DIR\n\n\(Self.usage)") }
            mode = .reference(model: URL(fileURLWithPath: positional[0]), directory: URL(fileURLWithPath: positional[1]))
        } else {
            guard positional.count == 1 else { throw ConformanceError(.usage, "give exactly one CASES_DIR\n\n\(Self.usage)") }
            mode = .cases(URL(fileURLWithPath: positional[0]))
        }
        self.skipList = skipList
        self.writeSkips = writeSkips
        self.filter = filter
    }
}
