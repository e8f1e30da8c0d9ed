import SparseEngine

/// Compares an engine output with the expected tensor the way ONNX's backend test runner does
/// (`numpy.testing.assert_allclose`): element types and shapes must match, and every element
/// must satisfy `|actual − expected| ≤ atol + rtol·|expected|`; NaN equals NaN and infinities
/// must match exactly.
struct TensorComparison {
    let rtol: Double
    let atol: Double

    /// nil when `actual` matches `expected`, else a one-line reason naming the first bad element.
    func mismatch(actual: Tensor, expected: Tensor) throws -> String? {
        guard actual.dataType == expected.dataType else {
            return "type \(actual.dataType), expected \(expected.dataType)"
        }
        guard actual.shape == expected.shape else {
            return "shape \(actual.shape), expected \(expected.shape)"
        }
        let a = try actual.doubleValues(), e = try expected.doubleValues()
        var bad = 0, first = -1, worst = 0.0
        for i in a.indices where !close(a[i], e[i]) {
            if first < 0 { first = i }
            bad += 1
            if a[i].isFinite && e[i].isFinite { worst = max(worst, abs(a[i] - e[i])) }
        }
        guard first >= 0 else { return nil }
        let index = multiIndex(first, shape: expected.shape)
        return "\(bad) of \(a.count) elements differ; first at \(index): got \(a[first]), expected \(e[first]); max abs error \(worst) (rtol \(rtol), atol \(atol))"
    }

    private func close(_ a: Double, _ e: Double) -> Bool {
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if a.isInfinite || e.isInfinite { return a == e }
        return abs(a - e) <= atol + rtol * abs(e)
    }

    private func multiIndex(_ linear: Int, shape: [Int]) -> [Int] {
        var rest = linear
        var index = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return index
    }
}
