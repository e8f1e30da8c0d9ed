/// The operators the engine implements: `supports` answers whether a model's operator can run,
/// `make` creates the `Operator` for a node.
public enum OperatorRegistry {
    /// The domain of the nodes only the engine's passes write (`zoo.QLinearLookup`, `zoo.QLinearSoftmax`, `zoo.QLinearBatchMatMul`,
    /// `zoo.Attention`, `zoo.FeaturePanels`).
    static let internalDomain = "zoo"

    /// The highest default-domain opset the engine knows.
    public static let maximumOpset = 21

    /// ONNX Runtime's contrib domain, and the one operator of it the engine runs (version 1): what its dynamic
    /// quantizer writes for an `LSTM`.
    static let microsoftDomain = "com.microsoft", dynamicQuantizeLSTM = "DynamicQuantizeLSTM"

    /// True when the engine implements `opType` of `domain` (`""` or `ai.onnx` for the default
    /// domain) in the given opset version. Attribute values and element types can still be
    /// refused when a node is built or planned.
    public static func supports(opType: String, domain: String = "", opset: Int) -> Bool {
        if domain == microsoftDomain { return opType == dynamicQuantizeLSTM && opset == 1 }
        guard domain.isEmpty || domain == "ai.onnx", let kind = OpKind(rawValue: opType) else { return false }
        return opset >= kind.earliestOpset && opset <= kind.latestOpset
    }

    /// Builds the operator for `node` under the model's opset imports, or throws
    /// `.unsupportedOperator` naming operator, node and opset.
    static func make(_ node: Node, opsets: [String: Int]) throws -> Operator {
        let domain = node.domain == "ai.onnx" ? "" : node.domain
        let opset = opsets[domain] ?? 0
        if domain == internalDomain {
            let c = OpContext(node: node, opset: 1)
            switch node.opType {
            case LookupTableOperator.opType: return try LookupTableOperator(c)
            case QuantizedSoftmaxOperator.opType: return try QuantizedSoftmaxOperator(c)
            case QuantizedBatchMatMulOperator.opType: return try QuantizedBatchMatMulOperator(c)
            case AttentionOperator.opType: return try AttentionOperator(c)
            case FeaturePanelsOperator.opType: return try FeaturePanelsOperator(c)
            default: throw EngineError(.unsupportedOperator, "unknown internal operator '\(node.opType)' (node '\(node.displayName)')")
            }
        }
        if domain == microsoftDomain && node.opType == dynamicQuantizeLSTM && opset == 1 {
            return try LSTMOperator(OpContext(node: node, opset: opset), quantizedWeights: true)
        }
        guard domain.isEmpty else {
            throw EngineError(.unsupportedOperator, "unsupported operator '\(domain).\(node.opType)' (node '\(node.displayName)', domain '\(domain)' opset \(opset)); only the default ai.onnx domain and com.microsoft.DynamicQuantizeLSTM (version 1) are implemented")
        }
        guard let kind = OpKind(rawValue: node.opType) else {
            throw EngineError(.unsupportedOperator, "unsupported operator '\(node.opType)' (node '\(node.displayName)', opset \(opset))")
        }
        // Nodes the engine's passes made (`zoo.fused`) are not bound to the model's opset.
        guard (opset >= kind.earliestOpset && opset <= kind.latestOpset) || node.attributes[LayerNormFusion.fusedAttribute] != nil else {
            throw EngineError(.unsupportedOperator, "operator '\(node.opType)' (node '\(node.displayName)') uses opset \(opset); the engine supports it in ai.onnx opsets \(kind.earliestOpset)–\(kind.latestOpset), convert the model with onnx.version_converter")
        }
        let c = OpContext(node: node, opset: opset)
        switch kind {
        case .conv: return try ConvOperator(c)
        case .convTranspose: return try ConvTransposeOperator(c)
        case .gemm: return try GemmOperator(c)
        case .matMul: return try MatMulOperator(c)
        case .einsum: return try EinsumOperator(c)
        case .quantizeLinear, .dequantizeLinear: return try QuantizeLinearOperator(kind, c)
        case .dynamicQuantizeLinear: return DynamicQuantizeLinearOperator(c)
        case .matMulInteger, .qLinearMatMul: return try QuantizedMatMulOperator(kind, c)
        case .convInteger, .qLinearConv: return try QuantizedConvOperator(kind, c)
        case .det: return DeterminantOperator(c)
        case .batchNormalization: return try BatchNormOperator(c)
        case .layerNormalization: return try LayerNormOperator(c)
        case .lrn: return try LRNOperator(c)
        case .instanceNormalization, .groupNormalization: return try GroupNormOperator(kind, c)
        case .meanVarianceNormalization: return try MeanVarianceNormOperator(c)
        case .negativeLogLikelihoodLoss, .softmaxCrossEntropyLoss: return try LossOperator(kind, c)
        case .hardmax: return try HardmaxOperator(c)
        case .cumSum: return try CumSumOperator(c)
        case .topK: return try TopKOperator(c)
        case .depthToSpace, .spaceToDepth: return try DepthSpaceOperator(kind, c)
        case .centerCropPad: return try CenterCropPadOperator(c)
        case .reverseSequence: return try ReverseSequenceOperator(c)
        case .gridSample: return try GridSampleOperator(c)
        case .col2Im: return try Col2ImOperator(c)
        case .gatherElements: return try GatherElementsOperator(c)
        case .scatterElements, .scatter: return try ScatterElementsOperator(c)
        case .gatherND: return try GatherNDOperator(c)
        case .scatterND: return try ScatterNDOperator(c)
        case .oneHot: return try OneHotOperator(c)
        case .trilu: return try TriluOperator(c)
        case .eyeLike: return try EyeLikeOperator(c)
        case .hannWindow, .hammingWindow, .blackmanWindow: return try WindowOperator(kind, c)
        case .relu, .leakyRelu, .clip, .sigmoid, .hardSigmoid, .hardSwish, .tanh, .erf, .gelu, .sqrt, .exp, .log,
             .neg, .abs, .reciprocal, .floor, .ceil, .round, .sign, .sin, .cos, .softplus, .elu, .not,
             .selu, .celu, .thresholdedRelu, .softsign, .mish, .shrink, .tan, .asin, .acos, .atan, .sinh, .cosh,
             .asinh, .acosh, .atanh, .bitwiseNot:
            return try UnaryOperator(kind, c)
        case .isNaN, .isInf: return try FloatClassOperator(kind, c)
        case .add where node.attributes[QuantizedAddOperator.attribute] != nil: return try QuantizedAddOperator(c)
        case .add, .sub, .mul, .div, .pow, .prelu, .equal, .greater, .less, .greaterOrEqual, .lessOrEqual, .and, .or, .xor,
             .mod, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .bitShift:
            return try BinaryOperator(kind, c)
        case .min, .max, .sum, .mean: return VariadicOperator(kind, c)
        case .where: return WhereOperator(c)
        case .cast, .castLike: return try CastOperator(kind, c)
        case .maxPool, .averagePool, .lpPool: return try PoolOperator(kind, c)
        case .maxUnpool: return try MaxUnpoolOperator(c)
        case .globalAveragePool, .globalMaxPool: return GlobalPoolOperator(kind, c)
        case .softmax, .logSoftmax: return try SoftmaxOperator(kind, c)
        case .reduceMean, .reduceSum, .reduceMax, .reduceMin, .reduceProd, .reduceL1, .reduceL2, .reduceLogSum,
             .reduceLogSumExp, .reduceSumSquare:
            return try ReduceOperator(kind, c)
        case .argMax, .argMin: return try ArgReduceOperator(kind, c)
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
        case .size: return SizeOperator(c)
        case .constantOfShape: return try ConstantOfShapeOperator(c)
        case .expand: return ExpandOperator(c)
        case .range: return RangeOperator(c)
        case .tile: return TileOperator(c)
        case .pad: return try PadOperator(c)
        case .resize, .upsample: return try ResizeOperator(c)
        case .identity: return IdentityOperator(c)
        case .dropout: return try DropoutOperator(c)
        case .constant: return try ConstantOperator(c)
        case .if: return try IfOperator(c)
        case .loop: return try LoopOperator(c)
        case .scan: return try ScanOperator(c)
        case .lstm: return try LSTMOperator(c)
        case .gru: return try GRUOperator(c)
        case .rnn: return try RNNOperator(c)
        case .nonMaxSuppression: return try NonMaxSuppressionOperator(c)
        case .roiAlign: return try RoiAlignOperator(c)
        case .compress: return try CompressOperator(c)
        case .unique: return try UniqueOperator(c)
        case .nonZero: return NonZeroOperator(c)
        }
    }
}
