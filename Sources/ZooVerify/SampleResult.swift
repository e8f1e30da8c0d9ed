/// What one sample gave: the pair of files and the comparison of every output.
public struct SampleResult: Sendable, Encodable {
    /// The input file's name, e.g. `inp-0000.npz`.
    public let input: String
    /// The output file's name, e.g. `out-0000.npz`.
    public let output: String
    /// One comparison per model output, in the model's order.
    public let outputs: [OutputComparison]

    /// Every output matched.
    public var ok: Bool { outputs.allSatisfy(\.ok) }

    private enum CodingKeys: String, CodingKey { case input, output, outputs, ok }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(ok, forKey: .ok)
    }
}
