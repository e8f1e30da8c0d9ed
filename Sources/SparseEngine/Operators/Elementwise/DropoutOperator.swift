/// `Dropout`. At inference (the default) the output is the input and the optional mask is all
/// true. With the opset-12 `training_mode` input set, each element is kept with probability
/// `1 − ratio` and scaled by `1 / (1 − ratio)`; the mask marks the kept elements. The `seed`
/// attribute makes the draw repeatable.
struct DropoutOperator: Operator {
    let c: OpContext
    let attributeRatio: Float
    let seed: Int?

    init(_ c: OpContext) throws {
        self.c = c
        attributeRatio = try c.float("ratio", 0.5)
        seed = try c.optionalInt("seed")
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        var out = [ValueSpec(x.dataType, x.shape, value: inputs.count > 2 ? nil : x.value)]
        if c.node.outputs.count > 1 { out.append(ValueSpec(.bool, x.shape)) }
        return out
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let mask = outputs.count > 1 ? outputs[1].pointer(UInt8.self) : nil
        let training = try inputs.count > 2 && inputs[2].map { try $0.doubleValues().first ?? 0 } ?? 0 != 0
        let ratio = try inputs.count > 1 ? inputs[1].map { Float(try $0.doubleValues().first ?? 0.5) } ?? attributeRatio : attributeRatio
        guard training && ratio > 0 else {
            copyBytes(x, into: y, pool: context.pool)
            mask?.update(repeating: 1, count: x.count)
            return
        }
        guard x.dataType == .float else {
            throw c.error(.unsupportedDataType, "training-mode dropout of \(x.dataType) tensors is not supported (float only)")
        }
        guard ratio < 1 else { throw c.error(.invalidInput, "ratio must be below 1 in training mode, got \(ratio)") }
        var generator = SplitMix64(seed: seed.map { UInt64(bitPattern: Int64($0)) } ?? UInt64.random(in: .min ... .max))
        let scale = 1 / (1 - ratio)
        let src = x.pointer(Float.self), dst = y.pointer(Float.self)
        for i in 0..<x.count {
            let keep = Float.random(in: 0..<1, using: &generator) >= ratio
            dst[i] = keep ? src[i] * scale : 0
            mask?[i] = keep ? 1 : 0
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, seedable generator for repeatable draws.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
