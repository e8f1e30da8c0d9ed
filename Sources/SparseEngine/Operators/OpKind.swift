/// Every ONNX operator (default `ai.onnx` domain) the engine implements; raw values are the
/// ONNX operator names. `OperatorRegistry.make` switches over it exhaustively, so adding a case
/// without an implementation does not compile.
enum OpKind: String, CaseIterable, Sendable {
    // Linear algebra and convolution
    case conv = "Conv", convTranspose = "ConvTranspose", gemm = "Gemm", matMul = "MatMul"
    case einsum = "Einsum", det = "Det"
    // Quantization
    case quantizeLinear = "QuantizeLinear", dequantizeLinear = "DequantizeLinear", dynamicQuantizeLinear = "DynamicQuantizeLinear"
    case matMulInteger = "MatMulInteger", convInteger = "ConvInteger", qLinearMatMul = "QLinearMatMul", qLinearConv = "QLinearConv"
    // Normalization
    case batchNormalization = "BatchNormalization", layerNormalization = "LayerNormalization", lrn = "LRN"
    case instanceNormalization = "InstanceNormalization", groupNormalization = "GroupNormalization"
    case meanVarianceNormalization = "MeanVarianceNormalization"
    // Losses
    case negativeLogLikelihoodLoss = "NegativeLogLikelihoodLoss", softmaxCrossEntropyLoss = "SoftmaxCrossEntropyLoss"
    // Unary elementwise
    case relu = "Relu", leakyRelu = "LeakyRelu", clip = "Clip", sigmoid = "Sigmoid", hardSigmoid = "HardSigmoid"
    case hardSwish = "HardSwish", tanh = "Tanh", erf = "Erf", gelu = "Gelu", sqrt = "Sqrt", exp = "Exp", log = "Log"
    case neg = "Neg", abs = "Abs", reciprocal = "Reciprocal", floor = "Floor", ceil = "Ceil", round = "Round"
    case sign = "Sign", sin = "Sin", cos = "Cos", softplus = "Softplus", elu = "Elu", not = "Not"
    case selu = "Selu", celu = "Celu", thresholdedRelu = "ThresholdedRelu", softsign = "Softsign", mish = "Mish"
    case shrink = "Shrink", tan = "Tan", asin = "Asin", acos = "Acos", atan = "Atan", sinh = "Sinh", cosh = "Cosh"
    case asinh = "Asinh", acosh = "Acosh", atanh = "Atanh", isNaN = "IsNaN", isInf = "IsInf"
    // Binary and variadic elementwise
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", pow = "Pow", prelu = "PRelu"
    case min = "Min", max = "Max", sum = "Sum", mean = "Mean", `where` = "Where"
    case equal = "Equal", greater = "Greater", less = "Less", greaterOrEqual = "GreaterOrEqual", lessOrEqual = "LessOrEqual"
    case and = "And", or = "Or", xor = "Xor", mod = "Mod"
    case bitwiseAnd = "BitwiseAnd", bitwiseOr = "BitwiseOr", bitwiseXor = "BitwiseXor", bitwiseNot = "BitwiseNot", bitShift = "BitShift"
    case cast = "Cast", castLike = "CastLike"
    // Pooling
    case maxPool = "MaxPool", averagePool = "AveragePool", lpPool = "LpPool", maxUnpool = "MaxUnpool", globalAveragePool = "GlobalAveragePool", globalMaxPool = "GlobalMaxPool"
    // Softmax and reductions
    case softmax = "Softmax", logSoftmax = "LogSoftmax", hardmax = "Hardmax", cumSum = "CumSum", topK = "TopK"
    case reduceMean = "ReduceMean", reduceSum = "ReduceSum", reduceMax = "ReduceMax", reduceMin = "ReduceMin", reduceProd = "ReduceProd"
    case reduceL1 = "ReduceL1", reduceL2 = "ReduceL2", reduceLogSum = "ReduceLogSum", reduceLogSumExp = "ReduceLogSumExp"
    case reduceSumSquare = "ReduceSumSquare", argMax = "ArgMax", argMin = "ArgMin"
    // Shape and data movement
    case reshape = "Reshape", flatten = "Flatten", transpose = "Transpose", squeeze = "Squeeze", unsqueeze = "Unsqueeze"
    case concat = "Concat", split = "Split", slice = "Slice", gather = "Gather", shape = "Shape"
    case constantOfShape = "ConstantOfShape", expand = "Expand", range = "Range", tile = "Tile", pad = "Pad", resize = "Resize", upsample = "Upsample"
    case identity = "Identity", constant = "Constant", dropout = "Dropout", size = "Size"
    case depthToSpace = "DepthToSpace", spaceToDepth = "SpaceToDepth", centerCropPad = "CenterCropPad"
    case reverseSequence = "ReverseSequence", gridSample = "GridSample", col2Im = "Col2Im"
    // Indexing
    case gatherElements = "GatherElements", scatterElements = "ScatterElements", scatter = "Scatter"
    case gatherND = "GatherND", scatterND = "ScatterND", oneHot = "OneHot", trilu = "Trilu", eyeLike = "EyeLike"
    // Detection and selection (all but RoiAlign with output shapes that depend on values)
    case nonMaxSuppression = "NonMaxSuppression", roiAlign = "RoiAlign", compress = "Compress", unique = "Unique", nonZero = "NonZero"
    // Generators
    case hannWindow = "HannWindow", hammingWindow = "HammingWindow", blackmanWindow = "BlackmanWindow"
    // Control flow and recurrence
    case `if` = "If", loop = "Loop", scan = "Scan", lstm = "LSTM", gru = "GRU", rnn = "RNN"
}

extension OpKind {
    /// The lowest `ai.onnx` opset in which the engine runs this operator: the operator's first
    /// version when it came after opset 7, otherwise the oldest version whose meaning the
    /// implementation covers (older versions differ only in attributes the engine ignores, such
    /// as `consumed_inputs`, or are not supported: legacy `broadcast`/`axis` arithmetic).
    var earliestOpset: Int {
        switch self {
        case .identity, .constant, .if, .loop, .not, .globalAveragePool, .globalMaxPool, .softplus, .softsign, .transpose, .flatten,
             .shape, .size, .squeeze, .unsqueeze, .gather, .slice, .softmax, .logSoftmax, .hardmax, .conv, .convTranspose,
             .matMul, .maxPool, .averagePool, .lrn, .depthToSpace, .spaceToDepth, .topK, .argMax, .argMin,
             .reduceMean, .reduceSum, .reduceMax, .reduceMin, .reduceProd, .reduceL1, .reduceL2, .reduceLogSum,
             .reduceLogSumExp, .reduceSumSquare:
            return 1
        case .split, .pad, .lpPool: return 2
        case .concat: return 4
        case .reshape: return 5
        case .relu, .leakyRelu, .sigmoid, .hardSigmoid, .tanh, .elu, .selu, .neg, .abs, .reciprocal, .sqrt, .exp, .log,
             .floor, .ceil, .clip, .batchNormalization, .instanceNormalization, .cast, .gemm, .dropout, .sum, .mean,
             .min, .max, .tile:
            return 6
        case .expand, .scan: return 8
        case .constantOfShape, .where, .erf, .sign, .shrink, .sinh, .cosh, .asinh, .acosh, .atanh, .isNaN,
             .meanVarianceNormalization, .maxUnpool, .scatter, .oneHot, .eyeLike, .compress, .nonZero:
            return 9
        case .resize, .mod, .thresholdedRelu, .isInf, .reverseSequence, .nonMaxSuppression, .roiAlign, .quantizeLinear, .dequantizeLinear,
             .matMulInteger, .convInteger, .qLinearMatMul, .qLinearConv:
            return 10
        case .range, .round, .det, .bitShift, .dynamicQuantizeLinear, .gatherElements, .scatterElements, .gatherND,
             .scatterND, .cumSum, .unique:
            return 11
        case .greaterOrEqual, .lessOrEqual, .celu, .einsum, .negativeLogLikelihoodLoss, .softmaxCrossEntropyLoss: return 12
        case .hardSwish, .trilu: return 14
        case .castLike: return 15
        case .gridSample: return 16
        case .layerNormalization, .hannWindow, .hammingWindow, .blackmanWindow: return 17
        case .groupNormalization, .centerCropPad, .col2Im, .mish, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .bitwiseNot: return 18
        case .gelu: return 20
        default: return 7
        }
    }

    /// The highest `ai.onnx` opset that still has this operator (`Upsample` and `Scatter` were removed).
    var latestOpset: Int {
        switch self {
        case .upsample: return 9
        case .scatter: return 10
        default: return OperatorRegistry.maximumOpset
        }
    }
}
