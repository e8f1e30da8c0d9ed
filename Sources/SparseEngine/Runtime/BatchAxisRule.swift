/// How one operator treats axis 0 of its batched operands (see `BatchSeparability`): nil for operators
/// not known to keep batch items apart.
struct BatchAxisRule {
    /// How an operand of the operator may relate to the batch.
    enum Role {
        /// Batched or not; when not, it must broadcast without reaching axis 0 (rank below the result's, or
        /// a first dimension of 1).
        case elementwise
        /// Must be batched.
        case item
        /// Must not be batched (weights, biases, shapes, axes): any value, used whole by every item.
        case parameter
        /// The second factor of a matrix product: batched only in a batched product (both factors of rank 3
        /// or more); when not batched, of rank 2 or less, or broadcast without reaching axis 0.
        case factor
        /// Gather's data: batched (gathered along another axis), or not (an embedding table read at batched
        /// indices along axis 0).
        case gatherData
    }

    private let roles: (Int) -> Role
    private let axes: (_ operands: [ValueSpec?], _ rank: Int) -> [Int]?

    /// Whether the node leaves axis 0 alone, given which operands are batched, their specs and the rank
    /// of its first result.
    func keepsItemsApart(reads: [Bool], operands: [ValueSpec?], rank: Int) -> Bool {
        for (i, batched) in reads.enumerated() {
            guard let spec = operands[i] else { continue }
            switch roles(i) {
            case .item where !batched, .parameter where batched: return false
            case .elementwise where !batched: if spec.shape.count == rank && spec.shape.first != 1 { return false }
            case .factor where batched: if spec.shape.count < 3 || (operands[0]?.shape.count ?? 0) < 3 { return false }
            case .factor: if spec.shape.count > 2 && spec.shape.count == rank && spec.shape.first != 1 { return false }
            case .gatherData where !batched:
                // Items are rows of the indices: the gather must run along axis 0 of the data.
                return (axes([nil], spec.shape.count) ?? [1]) == [0]
            default: break
            }
        }
        // The axes the operator works along, normalized against the first operand's rank; nil when unknown.
        guard let axes = axes(operands, operands.first??.shape.count ?? rank) else { return false }
        return !axes.contains(0)
    }

    init?(_ node: Node, opset: Int) {
        if node.domain == OperatorRegistry.internalDomain && node.opType == LookupTableOperator.opType {
            self.init(roles: { _ in .elementwise }, axes: { _, _ in [] })
            return
        }
        guard let kind = OpKind(rawValue: node.opType) else { return nil }
        func attribute(_ name: String) -> Int? {
            if case .int(let value)? = node.attributes[name] { return value }
            return nil
        }
        func list(_ name: String) -> [Int]? {
            if case .ints(let value)? = node.attributes[name] { return value }
            return nil
        }
        /// An axis attribute (with its default) normalized against `rank`.
        func axis(_ name: String, default value: Int?) -> ([ValueSpec?], Int) -> [Int]? {
            { _, rank in (attribute(name) ?? value).map { [$0 < 0 ? $0 + rank : $0] } }
        }
        /// Axes from an attribute (older opsets) or a constant operand; nil (every axis) when absent.
        func axesList(attribute name: String, operand: Int) -> ([ValueSpec?], Int) -> [Int]? {
            { operands, rank in
                let values = list(name) ?? (operand < operands.count ? operands[operand]?.value.flatMap(integers) : nil)
                return values.map { $0.map { $0 < 0 ? $0 + rank : $0 } }
            }
        }
        let none: ([ValueSpec?], Int) -> [Int]? = { _, _ in [] }
        let firstIsItem: (Int) -> Role = { $0 == 0 ? .item : .parameter }
        switch kind {
        case .relu, .leakyRelu, .clip, .sigmoid, .hardSigmoid, .hardSwish, .tanh, .erf, .gelu, .sqrt, .exp, .log,
             .neg, .abs, .reciprocal, .floor, .ceil, .round, .sign, .sin, .cos, .softplus, .elu, .not, .selu, .celu,
             .thresholdedRelu, .softsign, .mish, .shrink, .tan, .asin, .acos, .atan, .sinh, .cosh, .asinh, .acosh,
             .atanh, .bitwiseNot, .isNaN, .isInf, .add, .sub, .mul, .div, .pow, .prelu, .equal, .greater, .less,
             .greaterOrEqual, .lessOrEqual, .and, .or, .xor, .mod, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .bitShift,
             .min, .max, .sum, .mean, .where, .cast, .castLike, .identity, .dropout:
            self.init(roles: { _ in .elementwise }, axes: none)
        case .conv, .convTranspose:
            // Operand 3 on is a fused residual (`AddFusion`), added elementwise.
            self.init(roles: { $0 == 0 ? .item : $0 >= 3 ? .elementwise : .parameter }, axes: none)
        case .matMul:
            // Operand 2 is a fused bias or residual. Both factors batched: a batched product, rank 3 or more.
            self.init(roles: { $0 == 2 ? .elementwise : $0 == 0 ? .item : .factor }, axes: none)
        case .qLinearConv, .convInteger:
            self.init(roles: firstIsItem, axes: none)
        case .qLinearMatMul:
            // Operand 3 is B; operand 8 the int32 bias `QDQFusion` gives a Gemm.
            self.init(roles: { $0 == 0 ? .item : $0 == 3 ? .factor : .parameter }, axes: none)
        case .matMulInteger:
            self.init(roles: { $0 == 0 ? .item : $0 == 1 ? .factor : .parameter }, axes: none)
        case .quantizeLinear, .dequantizeLinear:
            // A per-axis scale runs along `axis` (default 1); a scalar one along none.
            self.init(roles: { $0 == 0 ? .elementwise : .parameter }, axes: { operands, rank in
                guard operands.count > 1, let scale = operands[1] else { return nil }
                if scale.shape.reduce(1, *) == 1 { return [] }
                return axis("axis", default: 1)(operands, rank)
            })
        case .gemm:
            guard attribute("transA") ?? 0 == 0 else { return nil }
            self.init(roles: { $0 == 0 ? .item : $0 == 2 ? .elementwise : .parameter }, axes: none)
        case .maxPool, .averagePool, .lpPool, .globalAveragePool, .globalMaxPool, .batchNormalization,
             .instanceNormalization, .lrn, .depthToSpace, .spaceToDepth, .reshape, .expand, .tile, .resize, .upsample:
            self.init(roles: firstIsItem, axes: none)
        case .softmax, .logSoftmax, .hardmax:
            self.init(roles: firstIsItem, axes: axis("axis", default: opset < 13 ? 1 : -1))
        case .layerNormalization:
            self.init(roles: firstIsItem, axes: axis("axis", default: -1))
        case .flatten:
            self.init(roles: firstIsItem, axes: axis("axis", default: 1))
        case .argMax, .argMin:
            self.init(roles: firstIsItem, axes: axis("axis", default: 0))
        case .topK:
            self.init(roles: firstIsItem, axes: axis("axis", default: -1))
        case .gather:
            self.init(roles: { $0 == 0 ? .gatherData : .parameter }, axes: axis("axis", default: 0))
        case .concat:
            self.init(roles: { _ in .item }, axes: axis("axis", default: nil))
        case .split:
            self.init(roles: firstIsItem, axes: axis("axis", default: 0))
        case .transpose:
            let perm = list("perm")
            self.init(roles: firstIsItem, axes: { _, _ in perm.map { $0.first == 0 ? [] : [0] } })
        case .squeeze, .unsqueeze, .reduceMean, .reduceSum, .reduceMax, .reduceMin, .reduceProd, .reduceL1, .reduceL2,
             .reduceLogSum, .reduceLogSumExp, .reduceSumSquare:
            self.init(roles: firstIsItem, axes: axesList(attribute: "axes", operand: 1))
        case .slice:
            self.init(roles: firstIsItem, axes: { operands, rank in
                guard operands.count > 1, let starts = operands[1]?.value.flatMap(integers) else { return nil }
                if operands.count > 3, let axes = operands[3] { return axes.value.flatMap(integers).map { $0.map { $0 < 0 ? $0 + rank : $0 } } }
                return Array(0..<starts.count)
            })
        case .pad:
            self.init(roles: firstIsItem, axes: { operands, rank in
                let pads = list("pads") ?? (operands.count > 1 ? operands[1]?.value.flatMap(integers) : nil)
                guard let pads, pads.count == 2 * rank, operands.count <= 3 || operands[3] == nil else { return nil }
                return pads[0] == 0 && pads[rank] == 0 ? [] : [0]
            })
        default:
            return nil
        }
    }

    private init(roles: @escaping (Int) -> Role, axes: @escaping ([ValueSpec?], Int) -> [Int]?) {
        self.roles = roles
        self.axes = axes
    }
}

/// A constant integer tensor's values, or nil for other element types.
private func integers(_ t: Tensor) -> [Int]? { try? t.intValues() }
