import Foundation

/// `HannWindow`, `HammingWindow` and `BlackmanWindow` of length `size`:
/// `a0 − a1·cos(2πn/N) + a2·cos(4πn/N)` with N = size (`periodic=1`) or size − 1, in
/// `output_datatype` (default float).
struct WindowOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let periodic: Bool
    let dataType: DataType
    var planTimeInputs: [Int] { [0] }

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        periodic = try c.int("periodic", 1) != 0
        dataType = try DataType.decode(Int32(truncatingIfNeeded: try c.int("output_datatype", 1)), context: "window 'output_datatype'")
        try c.check(dataType, in: numericTypes, "output_datatype")
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        guard let size = try c.knownInts(try c.required(inputs, 0, "size"), "size")?.first, size >= 0 else {
            throw c.error(.invalidModel, "size must hold one non-negative integer")
        }
        return [ValueSpec(dataType, [size])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let size = outputs[0].count
        let (a0, a1, a2): (Double, Double, Double)
        switch kind {
        case .hannWindow: (a0, a1, a2) = (0.5, 0.5, 0)
        case .hammingWindow: (a0, a1, a2) = (25.0 / 46.0, 21.0 / 46.0, 0)
        default: (a0, a1, a2) = (0.42, 0.5, 0.08)
        }
        let denominator = Double(periodic ? size : size - 1)
        let values = (0..<size).map { n -> Double in
            let angle = 2 * Double.pi * Double(n) / denominator
            return a0 - a1 * cos(angle) + a2 * cos(2 * angle)
        }
        try writeDoubles(values, to: outputs[0])
    }
}
