/// The one error type of `SparseEngine`.
///
/// `message` says what happened and what to do about it, and names the file, operator,
/// node and opset where they are known, e.g. `unsupported operator 'Foo' (node 'bar', opset 13)`.
/// Match on `code`, not on the message text.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable, matchable category of engine failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case io, malformedModel, invalidModel, unsupportedOperator, unsupportedAttribute
            case unsupportedDataType, externalData, shapeMismatch, invalidInput, invalidTensorFile
            case dataDependentShape, outOfMemory, internalError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A file could not be opened, mapped or written.
        public static let io = Code(.io)
        /// The bytes are not a valid protobuf (truncated, garbage, wrong file).
        public static let malformedModel = Code(.malformedModel)
        /// The protobuf decoded but the model breaks an ONNX rule (missing value, bad attribute, cycle…).
        public static let invalidModel = Code(.invalidModel)
        /// The model uses an operator (or operator domain) the engine does not implement.
        public static let unsupportedOperator = Code(.unsupportedOperator)
        /// A known operator uses an attribute value the engine does not implement.
        public static let unsupportedAttribute = Code(.unsupportedAttribute)
        /// A tensor has an element type the engine cannot hold or an operator cannot process.
        public static let unsupportedDataType = Code(.unsupportedDataType)
        /// An external-data reference is unsafe, missing or out of range.
        public static let externalData = Code(.externalData)
        /// Shapes do not agree (between inputs, or with what an operator needs).
        public static let shapeMismatch = Code(.shapeMismatch)
        /// A caller-supplied input is missing, unknown or of the wrong type.
        public static let invalidInput = Code(.invalidInput)
        /// A `.pb` or `.npy` tensor file could not be parsed.
        public static let invalidTensorFile = Code(.invalidTensorFile)
        /// A shape depends on data that is only known while running (not supported yet).
        public static let dataDependentShape = Code(.dataDependentShape)
        /// A tensor, or the memory a plan needs, is larger than the machine's memory (or than any size can be).
        public static let outOfMemory = Code(.outOfMemory)
        /// A bug in the engine.
        public static let internalError = Code(.internalError)

        public var description: String { value.rawValue }
    }

    /// The category.
    public let code: Code
    /// What happened and what to do.
    public let message: String

    /// Creates an error; prefer the static helpers below so messages stay uniform.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension EngineError {
    /// An error raised by an operator, with the node context appended: `… (node 'n', Conv, opset 13)`.
    static func node(_ code: Code, _ what: String, _ node: Node, opset: Int) -> EngineError {
        EngineError(code, "\(what) (node '\(node.displayName)', \(node.opType), opset \(opset))")
    }

    /// This error with the node it arose in appended, `… (node 'n', Reshape)`, unless the message already names one:
    /// errors raised below the operators (a tensor's element type, say) learn where they happened.
    func located(in node: Node) -> EngineError {
        message.contains("(node '") ? self : EngineError(code, "\(message) (node '\(node.displayName)', \(node.opType))")
    }
}

/// Runs `body` for `node`, naming the node in any `EngineError` that does not name one yet.
func attributingErrors<T>(to node: Node, _ body: () throws -> T) rethrows -> T {
    do {
        return try body()
    } catch let error as EngineError {
        throw error.located(in: node)
    }
}
