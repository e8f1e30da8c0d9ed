/// One operator application in a graph.
public struct Node: Sendable {
    /// The node name (may be empty in ONNX files).
    public var name: String
    /// The ONNX operator name, e.g. `Conv`.
    public var opType: String
    /// The operator set domain; `""` is the default `ai.onnx` domain.
    public var domain: String
    /// Input value names; `""` marks an omitted optional input.
    public var inputs: [String]
    /// Output value names; `""` marks an omitted optional output.
    public var outputs: [String]
    /// Attributes by name.
    public var attributes: [String: Attribute]

    /// Creates a node.
    public init(name: String = "", opType: String, domain: String = "", inputs: [String], outputs: [String],
                attributes: [String: Attribute] = [:]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// The name for messages: the node name, else its first output.
    var displayName: String { name.isEmpty ? (outputs.first ?? opType) : name }
}
