/// Chooses the quantized layers (`QLinearConv`, `QLinearMatMul`, `ConvInteger`, `MatMulInteger` with a constant
/// int8 or uint8 weight, as written or as `QDQFusion` made them) that run on the sparse INT8 kernels. The kernels
/// skip a weight group of 4 K values (4 input channels at one tap, or 4 rows of a MatMul's weight) only when all
/// four equal the weight's zero point, so the decision counts zero groups, not zero weights: 90 % unstructured
/// zeros leave about a third of the groups, SparseML's 4-block pruning leaves a tenth.
///
/// Every layer examined gets its share of zero weights in `sparsityAttribute` (for profiles and the summary);
/// those with at least `minimumZeroGroups` get `attribute` (the bytes their packing will hold: 8 per nonzero group,
/// what a run reads of the weight), and their operators pack only the nonzero groups.
/// The threshold comes from measurement (docs/int8-kernels.md).
struct QuantizedSparseSelection: GraphPass {
    /// Marks a layer that runs on the sparse INT8 kernels; its value is the packed weight's bytes.
    static let attribute = "zoo.qs8_sparse"
    /// The share of the layer's weights equal to their zero point.
    static let sparsityAttribute = "zoo.qs8_weight_sparsity"
    /// Share of all-zero groups from which a layer runs sparse.
    static let minimumZeroGroups = 0.75

    var name: String { "quantized-sparse-selection" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var changed = 0
        for i in graph.nodes.indices {
            let node = graph.nodes[i]
            guard node.domain.isEmpty, node.attributes[Self.sparsityAttribute] == nil,
                  let (weightInput, zeroInput) = Self.weightInputs(node.opType).map({ ($0.weight, $0.zeroPoint) }) ?? nil,
                  node.inputs.count > weightInput,
                  let weight = graph.initializers[node.inputs[weightInput]], weight.dataType == .int8 || weight.dataType == .uint8,
                  weight.rank == 2 || (node.opType.hasSuffix("Conv") && weight.rank >= 3)
            else { continue }
            let zeroPoint = node.inputs.count > zeroInput && !node.inputs[zeroInput].isEmpty ? graph.initializers[node.inputs[zeroInput]] : nil
            guard node.inputs.count <= zeroInput || node.inputs[zeroInput].isEmpty || zeroPoint != nil,
                  let zeros = try Self.zeros(weight, zeroPoint: zeroPoint, convolution: weight.rank >= 3)
            else { continue }
            graph.nodes[i].attributes[Self.sparsityAttribute] = .float(Float(zeros.weights))
            if zeros.groups >= Self.minimumZeroGroups {
                let groups = (weight.count + 3) / 4
                graph.nodes[i].attributes[Self.attribute] = .int(Int((1 - zeros.groups) * Double(groups) * 8))
                changed += 1
            }
        }
        return changed
    }

    /// Input indices of the weight and of its zero point, for the node types with a quantized weight.
    static func weightInputs(_ opType: String) -> (weight: Int, zeroPoint: Int)? {
        switch opType {
        case "QLinearConv", "QLinearMatMul": return (3, 5)
        case "ConvInteger", "MatMulInteger": return (1, 3)
        default: return nil
        }
    }

    /// The shares of weights, and of groups of 4 along K, equal to the zero point: a convolution's [M, C, kH, kW]
    /// weight groups 4 channels at one tap (per output channel), a MatMul's [K, N] weight 4 rows of one column.
    /// Nil when the zero point's length fits neither per-tensor nor per-row.
    static func zeros(_ weight: Tensor, zeroPoint: Tensor?, convolution: Bool) throws -> (weights: Double, groups: Double)? {
        let zero = try zeroPoint?.doubleValues().map { Int($0) } ?? [0]
        let rows = convolution ? weight.shape[0] : weight.shape[1]
        let depth = weight.count / max(rows, 1)
        guard rows > 0, depth > 0, zero.count == 1 || zero.count == rows else { return nil }
        let taps = convolution ? weight.shape[2...].reduce(1, *) : 1, channels = depth / taps
        // The 8-bit weights read in place (int8 or uint8), element (row, channel, tap) as the kernels group them.
        let bytes = weight.rawPointer.assumingMemoryBound(to: UInt8.self), signed = weight.dataType == .int8
        func isZero(_ row: Int, _ channel: Int, _ tap: Int) -> Bool {
            let index = convolution ? (row * channels + channel) * taps + tap : channel * rows + row
            let value = signed ? Int(Int8(bitPattern: bytes[index])) : Int(bytes[index])
            return value == zero[zero.count == 1 ? 0 : row]
        }
        var zeroWeights = 0, zeroGroups = 0, groups = 0
        for row in 0..<rows {
            for tap in 0..<taps {
                for first in stride(from: 0, to: channels, by: 4) {
                    var members = 0
                    for channel in first..<min(channels, first + 4) where isZero(row, channel, tap) { members += 1 }
                    zeroWeights += members
                    zeroGroups += members == min(4, channels - first) ? 1 : 0
                    groups += 1
                }
            }
        }
        return (Double(zeroWeights) / Double(weight.count), Double(zeroGroups) / Double(groups))
    }
}
