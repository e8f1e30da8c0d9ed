/// One dimension of a declared (graph input/output) shape.
public enum Dimension: Hashable, Sendable, CustomStringConvertible {
    /// A known size.
    case fixed(Int)
    /// A named size (`batch`, `sequence`), bound from the actual inputs at run time.
    case symbolic(String)
    /// Neither size nor name given.
    case unknown

    public var description: String {
        switch self {
        case .fixed(let n): return String(n)
        case .symbolic(let name): return name
        case .unknown: return "?"
        }
    }
}
