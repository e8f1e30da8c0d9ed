/// Folds an `Add` into the `Conv` or `MatMul` that produces one of its operands: a residual connection
/// (ResNet's `Conv → Add(skip)`) or a separate bias (`MatMul → Add(bias)` as PyTorch exports linear layers).
/// The producer then starts its output from the other operand and applies its activation after it, so
/// `ActivationFusion`, which runs next, can fold the following `Relu` too.
///
/// The other operand becomes the producer's extra input (Conv: #3, after an empty bias if it had none;
/// MatMul: #2), and `zoo.add` marks it. A MatMul whose fused Add is a constant bias per output feature takes a
/// second one, the residual connection after a transformer's linear layer, as input #3 (`zoo.residual`), which the
/// sparse kernels add as they store the output. The operand must be ready before the producer runs: a constant, a
/// graph input or a value computed earlier in node order. Broadcasting is checked when shapes are known, at plan
/// time (`FusedAdd`).
struct AddFusion: GraphPass {
    var name: String { "add-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var fused = 0
        var removed = Set<Int>()
        let consumers = graph.consumers()
        var producer = graph.producers()
        for (ai, add) in graph.nodes.enumerated() where add.opType == "Add" && add.domain.isEmpty && add.inputs.count == 2 {
            for (product, other) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
                guard let pi = producer[product], !removed.contains(pi), product != other,
                      let attribute = absorbingAttribute(graph.nodes[pi], graph), consumers[product]?.count == 1, !graph.isOutput(product),
                      producer[other].map({ $0 < pi }) ?? true
                else { continue }
                var node = graph.nodes[pi]
                if node.opType == "Conv" {
                    while node.inputs.count < 3 { node.inputs.append("") }
                }
                node.inputs.append(other)
                node.attributes[attribute] = .int(1)
                node.outputs = add.outputs
                for output in add.outputs { producer[output] = pi }
                graph.nodes[pi] = node
                removed.insert(ai)
                fused += 1
                break
            }
        }
        graph.rewrite(removing: removed)
        return fused
    }

    /// The attribute that marks the Add `node` can absorb next: `zoo.add`, `zoo.residual` after a MatMul's bias, or nil.
    private func absorbingAttribute(_ node: Node, _ graph: Graph) -> String? {
        guard node.domain.isEmpty, node.outputs.count == 1, node.attributes[FusedActivation.attribute] == nil else { return nil }
        guard node.attributes[FusedAdd.attribute] != nil else {
            switch node.opType {
            case "Conv": return node.inputs.count <= 3 ? FusedAdd.attribute : nil
            case "MatMul": return node.inputs.count == 2 ? FusedAdd.attribute : nil
            default: return nil
            }
        }
        guard node.opType == "MatMul", node.inputs.count == 3, let weight = graph.initializers[node.inputs[1]], weight.shape.count == 2,
              let bias = graph.initializers[node.inputs[2]], bias.shape.last == weight.shape[1], bias.shape.dropLast().allSatisfy({ $0 == 1 })
        else { return nil }
        return FusedAdd.residualAttribute
    }
}

/// The `Add` a producer absorbed (see `AddFusion`): its operand is added to the output, broadcast, before
/// the fused activation.
enum FusedAdd {
    static let attribute = "zoo.add"
    /// Marks a MatMul's second fused Add, after its bias: input #3.
    static let residualAttribute = "zoo.residual"

    /// Whether the node absorbed an Add.
    static func isPresent(_ c: OpContext) throws -> Bool { try c.int(attribute, 0) != 0 }

    /// Checks at plan time that the operand broadcasts into the output without growing it.
    static func check(_ addend: ValueSpec, into output: [Int], _ c: OpContext) throws {
        try c.check(addend.dataType, in: floatTypes, "fused Add operand")
        guard broadcastShapes([output, addend.shape]) == output else {
            throw c.error(.shapeMismatch, "the Add fused into this node would grow its output \(output) by broadcasting with \(addend.shape), which the fused form cannot do")
        }
    }

    /// The addend as one value per output feature (the last axis) when that is what it is: shape `[features]`,
    /// or that with leading 1s (a linear layer's bias); else nil.
    static func featureBias(_ addend: Tensor, features: Int) -> UnsafePointer<Float>? {
        guard addend.dataType == .float, addend.shape.last == features, addend.shape.dropLast().allSatisfy({ $0 == 1 }) else { return nil }
        return UnsafePointer(addend.pointer(Float.self))
    }

    /// `y += addend` (broadcast), then the activation, over the whole output, in parallel.
    static func finish(_ y: Tensor, _ addend: Tensor, _ activation: FusedActivation, _ context: KernelContext) {
        let yp = y.pointer(Float.self), ap = addend.pointer(Float.self)
        if addend.shape == y.shape {
            let chunk = 16_384, count = y.count
            context.pool.parallelFor((count + chunk - 1) / chunk) { i, _ in
                let start = i * chunk, length = min(chunk, count - start)
                for j in start..<(start + length) { yp[j] += ap[j] }
                activation.apply(yp + start, length)
            }
            return
        }
        // Broadcast (attention scores plus a mask over tokens): the rows of the broadcast, in parallel runs of rows.
        let loop = BroadcastLoop(outShape: y.shape, inputs: [addend.shape])
        let inner = loop.inner, stride = loop.innerStride(0)
        var rows: [(out: Int, addend: Int)] = []
        loop.forEachRow { out, offsets in rows.append((out, offsets[0])) }
        let rowsPerTask = max(1, 16_384 / max(1, inner))
        rows.withUnsafeBufferPointer { rows in
            context.pool.parallelFor((rows.count + rowsPerTask - 1) / rowsPerTask) { task, _ in
                for row in rows[(task * rowsPerTask)..<min(rows.count, (task + 1) * rowsPerTask)] {
                    let source = ap + row.addend, out = yp + row.out
                    if stride == 1 {
                        for j in 0..<inner { out[j] += source[j] }
                    } else {
                        for j in 0..<inner { out[j] += source[j * stride] }
                    }
                    activation.apply(out, inner)
                }
            }
        }
    }
}
