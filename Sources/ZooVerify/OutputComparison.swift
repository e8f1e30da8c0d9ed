import SparseEngine

/// One engine output against its sample output: the shapes, the largest absolute and relative errors, and
/// how many elements fall outside the tolerance.
public struct OutputComparison: Sendable {
    /// What the relative error adds to `|expected|`, so that an expected zero gives a large finite number.
    public static let relativeErrorFloor = 1e-12

    /// The output's name.
    public let name: String
    /// The sample output's shape.
    public let expectedShape: [Int]
    /// The engine's output shape, less the batch dimension of size 1 when the sample has none.
    public let actualShape: [Int]
    /// The number of elements compared (0 when the shapes differ).
    public let elements: Int
    /// Elements outside the tolerance (all of them when the shapes differ).
    public let mismatched: Int
    /// `max |actual − expected|`; NaN when an element of either is NaN, nil when the shapes differ.
    public let maxAbsoluteError: Double?
    /// `max |actual − expected| / (|expected| + 1e-12)`; NaN and nil as for `maxAbsoluteError`.
    public let maxRelativeError: Double?
    /// A sentence describing the worst offence, nil when the output matches.
    public let problem: String?

    /// Whether every element is within the tolerance and the shapes agree.
    public var ok: Bool { problem == nil }

    /// Compares `actual` (the engine's) with `expected` (the sample's) under `tolerance`. When the
    /// engine's tensor has one more dimension than the sample's and it is a leading 1, that batch
    /// dimension is dropped first, as the samples are stored without it.
    public init(name: String, actual: Tensor, expected: Tensor, tolerance: Tolerance) throws {
        self.name = name
        expectedShape = expected.shape
        var actualShape = actual.shape
        if actualShape.count == expected.shape.count + 1, actualShape.first == 1 { actualShape.removeFirst() }
        self.actualShape = actualShape
        guard actualShape == expected.shape else {
            elements = 0
            mismatched = max(expected.count, actual.count)
            maxAbsoluteError = nil
            maxRelativeError = nil
            problem = "the engine's output has shape \(actual.shape) but the sample output has \(expected.shape)"
            return
        }
        let produced = try actual.doubleValues(), wanted = try expected.doubleValues()
        var maxAbsolute = 0.0, maxRelative = 0.0, outside = 0, sawNaN = false
        var worst: (index: Int, excess: Double)?
        for index in wanted.indices {
            let (a, e) = (produced[index], wanted[index])
            let difference = a == e ? 0 : abs(a - e)
            if difference.isNaN { sawNaN = true }
            maxAbsolute = max(maxAbsolute, difference)
            maxRelative = max(maxRelative, difference / (abs(e) + Self.relativeErrorFloor))
            guard !tolerance.accepts(a, e) else { continue }
            outside += 1
            let excess = difference.isNaN ? .infinity : difference - (tolerance.absolute + tolerance.relative * abs(e))
            if worst == nil || excess > worst!.excess { worst = (index, excess) }
        }
        elements = wanted.count
        mismatched = outside
        maxAbsoluteError = sawNaN ? .nan : maxAbsolute
        maxRelativeError = sawNaN ? .nan : maxRelative
        problem = worst.map { worst in
            let position = Self.multiIndex(worst.index, in: expected.shape)
            return "\(outside) of \(wanted.count) elements differ beyond atol \(tolerance.absolute), rtol \(tolerance.relative); "
                + "the worst, at \(position), is \(produced[worst.index]) where the sample has \(wanted[worst.index])"
        }
    }

    /// The row-major multi-index of flat `index` in `shape`, as `[i, j, …]`.
    private static func multiIndex(_ index: Int, in shape: [Int]) -> String {
        var rest = index
        var position = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            position[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return "[" + position.map(String.init).joined(separator: ", ") + "]"
    }
}

extension OutputComparison: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, shape, engineShape = "engine_shape", elements, mismatched
        case maxAbsoluteError = "max_abs_error", maxRelativeError = "max_rel_error", ok, problem
    }

    /// The errors are null when not finite (a NaN) or not computed (shapes differ).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(expectedShape, forKey: .shape)
        try container.encode(actualShape, forKey: .engineShape)
        try container.encode(elements, forKey: .elements)
        try container.encode(mismatched, forKey: .mismatched)
        try container.encode(maxAbsoluteError.flatMap { $0.isFinite ? $0 : nil }, forKey: .maxAbsoluteError)
        try container.encode(maxRelativeError.flatMap { $0.isFinite ? $0 : nil }, forKey: .maxRelativeError)
        try container.encode(ok, forKey: .ok)
        try container.encode(problem, forKey: .problem)
    }
}
