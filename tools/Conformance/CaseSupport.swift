import SparseEngine

/// Whether the engine can run a case at all, asked of the engine itself: every operator must
/// be registered for the case's opset (`OperatorRegistry.supports`) and every input and output
/// must be a tensor of an element type the engine holds.
enum CaseSupport {
    /// nil when the case is supported, else the reasons it is not, e.g.
    /// `operator CumSum not implemented; element type string`.
    static func unsupportedReason(_ c: ConformanceCase) -> String? {
        var reasons: [String] = []
        for qualified in c.opTypes {
            let (domain, opType) = split(qualified)
            if OperatorRegistry.supports(opType: opType, domain: domain, opset: c.opset) { continue }
            if !domain.isEmpty {
                reasons.append("operator \(qualified) (domain \(domain)) not implemented")
            } else if OperatorRegistry.supports(opType: opType, opset: OperatorRegistry.maximumOpset) {
                reasons.append("operator \(opType) not implemented for opset \(c.opset)")
            } else {
                reasons.append("operator \(opType) not implemented")
            }
        }
        var typeReasons: [String] = []
        for type in c.inputTypes + c.outputTypes {
            if let reason = typeReason(type), !typeReasons.contains(reason) { typeReasons.append(reason) }
        }
        reasons += typeReasons
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// Why a value type from `index.json` cannot be fed or returned, or nil if it can.
    private static func typeReason(_ type: String) -> String? {
        if type.hasPrefix("seq(") { return "sequence types" }
        if type.hasPrefix("optional(") { return "optional types" }
        if type.hasPrefix("map(") { return "map types" }
        guard type.hasPrefix("tensor("), type.hasSuffix(")") else { return "value type \(type)" }
        let element = String(type.dropFirst("tensor(".count).dropLast())
        guard let dataType = DataType.allCases.first(where: { $0.description == element }), dataType.byteSize != nil else {
            return "element type \(element)"
        }
        return nil
    }

    /// `ai.onnx.ml.Binarizer` → (`ai.onnx.ml`, `Binarizer`); `Abs` → (``, `Abs`).
    private static func split(_ qualified: String) -> (String, String) {
        guard let dot = qualified.lastIndex(of: ".") else { return ("", qualified) }
        return (String(qualified[..<dot]), String(qualified[qualified.index(after: dot)...]))
    }
}
