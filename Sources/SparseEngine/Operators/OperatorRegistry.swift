/// Creates the `Operator` for a node.
enum OperatorRegistry {
    /// The lowest default-domain opset the engine accepts.
    static let minimumOpset = 7
    /// The highest default-domain opset the engine knows.
    static let maximumOpset = 21

    /// Builds the operator for `node` under the model's opset imports, or throws
    /// `.unsupportedOperator` naming operator, node and opset.
    static func make(_ node: Node, opsets: [String: Int]) throws -> Operator {
        let domain = node.domain == "ai.onnx" ? "" : node.domain
        let opset = opsets[domain] ?? 0
        guard domain.isEmpty else {
            throw EngineError(.unsupportedOperator, "unsupported operator '\(domain).\(node.opType)' (node '\(node.displayName)', domain '\(domain)' opset \(opset)); only the default ai.onnx domain is implemented")
        }
        guard let kind = OpKind(rawValue: node.opType) else {
            throw EngineError(.unsupportedOperator, "unsupported operator '\(node.opType)' (node '\(node.displayName)', opset \(opset))")
        }
        guard opset >= minimumOpset && opset <= maximumOpset else {
            throw EngineError(.unsupportedOperator, "operator '\(node.opType)' (node '\(node.displayName)') uses opset \(opset); the engine supports ai.onnx opsets \(minimumOpset)–\(maximumOpset), convert the model with onnx.version_converter")
        }
        let c = OpContext(node: node, opset: opset)
        switch kind {
        case .conv: return try ConvOperator(c)
        case .convTranspose: return try ConvTransposeOperator(c)
        case .gemm: return try GemmOperator(c)
        case .matMul: return MatMulOperator(c)
        case .batchNormalization: return try BatchNormOperator(c)
        case .layerNormalization: return try LayerNormOperator(c)
        case .relu, .leakyRelu, .clip, .sigmoid, .hardSigmoid, .hardSwish, .tanh, .erf, .gelu, .sqrt, .exp, .log,
             .neg, .abs, .reciprocal, .floor, .ceil, .round, .sign, .sin, .cos, .softplus, .elu, .not:
            return try UnaryOperator(kind, c)
        case .add, .sub, .mul, .div, .pow, .prelu, .equal, .greater, .less, .greaterOrEqual, .lessOrEqual, .and, .or, .xor:
            return try BinaryOperator(kind, c)
        case .min, .max, .sum, .mean: return VariadicOperator(kind, c)
        case .where: return WhereOperator(c)
        case .cast: return try CastOperator(c)
        case .maxPool, .averagePool: return try PoolOperator(kind, c)
        case .globalAveragePool, .globalMaxPool: return GlobalPoolOperator(kind, c)
        case .softmax, .logSoftmax: return try SoftmaxOperator(kind, c)
        case .reduceMean, .reduceSum, .reduceMax, .reduceMin, .reduceProd: return try ReduceOperator(kind, c)
        case .reshape: return try ReshapeOperator(c)
        case .flatten: return try FlattenOperator(c)
        case .transpose: return try TransposeOperator(c)
        case .squeeze: return try SqueezeOperator(c)
        case .unsqueeze: return try UnsqueezeOperator(c)
        case .concat: return try ConcatOperator(c)
        case .split: return try SplitOperator(c)
        case .slice: return try SliceOperator(c)
        case .gather: return try GatherOperator(c)
        case .shape: return try ShapeOperator(c)
        case .constantOfShape: return try ConstantOfShapeOperator(c)
        case .expand: return ExpandOperator(c)
        case .range: return RangeOperator(c)
        case .tile: return TileOperator(c)
        case .pad: return try PadOperator(c)
        case .resize: return try ResizeOperator(c)
        case .identity, .dropout: return try IdentityOperator(kind, c)
        case .constant: return try ConstantOperator(c)
        }
    }
}
