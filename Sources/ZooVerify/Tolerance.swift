/// How far an engine output may be from a sample output: element by element,
/// `|actual − expected| ≤ absolute + relative · |expected|` (`numpy.allclose`'s rule).
public struct Tolerance: Sendable, Equatable {
    /// `atol`.
    public var absolute: Double
    /// `rtol`.
    public var relative: Double

    /// A tolerance of `absolute` (atol) and `relative` (rtol).
    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    /// deepsparse's check of its engine against a model's sample outputs
    /// (`deepsparse.utils.verify_outputs`: atol 8e-4, rtol 0), zoo's default: the same question
    /// `zoo verify` asks of zoo's engine.
    public static let deepsparse = Tolerance(absolute: 8e-4, relative: 0)

    /// Whether `actual` is close enough to `expected`. NaN is never close (as with `numpy.allclose`'s
    /// default `equal_nan=False`); an infinity is close only to the same infinity.
    public func accepts(_ actual: Double, _ expected: Double) -> Bool {
        if actual.isInfinite || expected.isInfinite { return actual == expected }
        return abs(actual - expected) <= absolute + relative * abs(expected)
    }
}
