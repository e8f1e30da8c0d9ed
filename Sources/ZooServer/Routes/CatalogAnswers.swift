import ZooCatalog

/// The body of `GET /v1/resolve`, encoded in one pass (`model` and `nearest` always present, `model` null when
/// the catalog does not have the stub).
struct ResolveAnswer: Encodable {
    let input: String
    let canonical: String
    let model: ModelRecord?
    let nearest: [String]

    private enum CodingKeys: String, CodingKey { case input, canonical, model, nearest }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode(canonical, forKey: .canonical)
        try c.encode(model, forKey: .model)
        try c.encode(nearest, forKey: .nearest)
    }
}

/// The body of `GET /v1/search`.
struct SearchAnswer: Encodable {
    let count: Int
    let models: [ModelRecord]
}
