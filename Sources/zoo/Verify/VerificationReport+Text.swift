import Foundation
import ZooVerify

extension VerificationReport {
    /// The report as text: the files table (for a stub), a table per sample, and a summary line.
    var text: String {
        var sections: [String] = []
        if stub != nil {
            var table = TextTable(columns: ["FILE", "STATUS", "SHA256"])
            for file in files { table.append([file.name, file.status, String(file.sha256.prefix(16))]) }
            sections.append(table.rendered + "\n" + (filesOK ? "ok: \(files.count) file(s)\(rehashed ? " re-hashed" : "")" : "damaged files were removed from the cache; run `zoo pull \(stub!)` to fetch them again"))
        }
        for sample in samples ?? [] {
            var table = TextTable(columns: ["OUTPUT", "SHAPE", "MAX ABS ERR", "MAX REL ERR", "STATUS"])
            for output in sample.outputs {
                table.append([output.name, Self.shape(output.expectedShape), Self.error(output.maxAbsoluteError), Self.error(output.maxRelativeError),
                              output.ok ? "OK" : "MISMATCH"])
            }
            sections.append("\(sample.input) -> \(sample.output)\n" + table.rendered)
        }
        if let samples, let modelPath {
            let outputs = samples.reduce(0) { $0 + $1.outputs.count }
            let bad = mismatches.count
            let limits = "atol \(Self.number(tolerance.absolute)), rtol \(Self.number(tolerance.relative))"
            sections.append(bad == 0
                ? "ok: \(samples.count) sample(s) of \(modelPath) match their outputs (\(outputs) compared, \(limits))"
                : "MISMATCH: \(bad) of \(outputs) output(s) in \(samples.count) sample(s) of \(modelPath) are outside \(limits)")
        }
        return sections.joined(separator: "\n\n")
    }

    private static func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    private static func error(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value.isNaN ? "nan" : String(format: "%.3g", value)
    }

    private static func number(_ value: Double) -> String { String(format: "%g", value) }
}
