/// Every ONNX operator (default `ai.onnx` domain) the engine implements; raw values are the
/// ONNX operator names. `OperatorRegistry.make` switches over it exhaustively, so adding a case
/// without an implementation does not compile.
enum OpKind: String, CaseIterable, Sendable {
    // Linear algebra and convolution
    case conv = "Conv", convTranspose = "ConvTranspose", gemm = "Gemm", matMul = "MatMul"
    // Normalization
    case batchNormalization = "BatchNormalization", layerNormalization = "LayerNormalization"
    // Unary elementwise
    case relu = "Relu", leakyRelu = "LeakyRelu", clip = "Clip", sigmoid = "Sigmoid", hardSigmoid = "HardSigmoid"
    case hardSwish = "HardSwish", tanh = "Tanh", erf = "Erf", gelu = "Gelu", sqrt = "Sqrt", exp = "Exp", log = "Log"
    case neg = "Neg", abs = "Abs", reciprocal = "Reciprocal", floor = "Floor", ceil = "Ceil", round = "Round"
    case sign = "Sign", sin = "Sin", cos = "Cos", softplus = "Softplus", elu = "Elu", not = "Not"
    // Binary and variadic elementwise
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", pow = "Pow", prelu = "PRelu"
    case min = "Min", max = "Max", sum = "Sum", mean = "Mean", `where` = "Where"
    case equal = "Equal", greater = "Greater", less = "Less", greaterOrEqual = "GreaterOrEqual", lessOrEqual = "LessOrEqual"
    case and = "And", or = "Or", xor = "Xor"
    case cast = "Cast"
    // Pooling
    case maxPool = "MaxPool", averagePool = "AveragePool", globalAveragePool = "GlobalAveragePool", globalMaxPool = "GlobalMaxPool"
    // Softmax and reductions
    case softmax = "Softmax", logSoftmax = "LogSoftmax"
    case reduceMean = "ReduceMean", reduceSum = "ReduceSum", reduceMax = "ReduceMax", reduceMin = "ReduceMin", reduceProd = "ReduceProd"
    // Shape and data movement
    case reshape = "Reshape", flatten = "Flatten", transpose = "Transpose", squeeze = "Squeeze", unsqueeze = "Unsqueeze"
    case concat = "Concat", split = "Split", slice = "Slice", gather = "Gather", shape = "Shape"
    case constantOfShape = "ConstantOfShape", expand = "Expand", range = "Range", tile = "Tile", pad = "Pad", resize = "Resize"
    case identity = "Identity", constant = "Constant", dropout = "Dropout"
}
