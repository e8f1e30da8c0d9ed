/// The declared name, element type and shape of a graph input or output.
public struct ValueInfo: Hashable, Sendable, CustomStringConvertible {
    /// The value name.
    public var name: String
    /// The element type (`.undefined` if the model does not say).
    public var dataType: DataType
    /// The declared shape, or `nil` if the model declares no shape (rank unknown).
    public var shape: [Dimension]?

    /// Creates a value description.
    public init(name: String, dataType: DataType, shape: [Dimension]?) {
        self.name = name
        self.dataType = dataType
        self.shape = shape
    }

    public var description: String {
        let dims = shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[?]"
        return "\(name): \(dataType)\(dims)"
    }
}
