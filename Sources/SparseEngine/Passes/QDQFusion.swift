/// Recognises the QDQ form of a quantized linear layer, as ONNX Runtime's static quantizer writes it —
/// `DequantizeLinear(x_q)` and `DequantizeLinear(W_q)` (a constant, per-tensor or per-channel scales) into a
/// `Conv`, `Gemm` or `MatMul`, optionally a `Relu`, then `QuantizeLinear` — and replaces it with one integer
/// node that reads x_q and writes the quantized output directly: `QLinearConv` for a Conv, `QLinearMatMul` for
/// Gemm and MatMul (Gemm's weight transposed to K × N when `transB`). The bias, whether quantized to int32
/// (`DequantizeLinear` of a constant) or float, is folded in int32 at scale `x_scale · w_scale`: input #8, an
/// engine extension of `QLinearMatMul` (`zoo.fused` marks the node). The Relu becomes `zoo.activation`: the
/// output saturates at its zero point.
///
/// A `MatMul` of two activations (`DequantizeLinear` of non-constant values, per tensor: attention's products)
/// becomes `zoo.QLinearBatchMatMul` (`QuantizedBatchMatMulOperator`), exact in integers as ONNX Runtime's.
///
/// `DequantizeLinear(a)`, `DequantizeLinear(b)` → `Add` [→ `Relu`] → `QuantizeLinear`, all per tensor (ResNet's
/// residual connections), becomes one `QuantizedAddOperator` over the 8-bit tensors.
///
/// Runs before constant folding, which would otherwise turn the weights' `DequantizeLinear` into float weights.
/// The float nodes' `DequantizeLinear` inputs are left for dead-code elimination when nothing else reads them.
struct QDQFusion: GraphPass {
    var name: String { "qdq-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (ni, node) in graph.nodes.enumerated() where ["Conv", "Gemm", "MatMul", "Add"].contains(node.opType) && node.domain.isEmpty {
            guard node.outputs.count == 1, node.inputs.count >= 2,
                  let x = dequantize(node.inputs[0], graph, producer), let w = dequantize(node.inputs[1], graph, producer),
                  perTensor(x, graph), node.opType != "Add" || perTensor(w, graph)
            else { continue }
            // The output path: [Relu →] QuantizeLinear, each value read only by the next node.
            var value = node.outputs[0], fusedNodes = [Int](), relu = false
            guard let first = soleConsumer(value, graph, consumers) else { continue }
            var next = first
            if graph.nodes[next].opType == "Relu" && graph.nodes[next].domain.isEmpty {
                relu = true
                fusedNodes.append(next)
                value = graph.nodes[next].outputs[0]
                guard let after = soleConsumer(value, graph, consumers) else { continue }
                next = after
            }
            let q = graph.nodes[next]
            guard q.opType == "QuantizeLinear", q.domain.isEmpty, q.inputs.count >= 2, scalar(q.inputs[1], graph),
                  q.inputs.count < 3 || q.inputs[2].isEmpty || scalar(q.inputs[2], graph), q.outputs.count == 1
            else { continue }
            fusedNodes.append(next)
            guard fusedNodes.allSatisfy({ !removed.contains($0) }), !removed.contains(ni),
                  let fused = node.opType == "Add" ? try fuseAdd(node, a: x, b: w, q: q, relu: relu, graph: &graph)
                                                   : try fuse(node, x: x, w: w, q: q, relu: relu, graph: &graph, producer: producer)
            else { continue }
            replacements[ni] = fused
            removed.formUnion(fusedNodes)
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }

    private func dequantize(_ value: String, _ graph: Graph, _ producer: [String: Int]) -> Node? {
        guard let i = producer[value], graph.nodes[i].opType == "DequantizeLinear", graph.nodes[i].domain.isEmpty else { return nil }
        return graph.nodes[i]
    }

    private func soleConsumer(_ value: String, _ graph: Graph, _ consumers: [String: [Int]]) -> Int? {
        guard !graph.isOutput(value), let readers = consumers[value], readers.count == 1 else { return nil }
        return readers[0]
    }

    private func scalar(_ name: String, _ graph: Graph) -> Bool { graph.initializers[name]?.count == 1 }

    /// A `DequantizeLinear` with one constant scale and zero point.
    private func perTensor(_ dq: Node, _ graph: Graph) -> Bool {
        dq.inputs.count >= 2 && scalar(dq.inputs[1], graph) && (dq.inputs.count < 3 || dq.inputs[2].isEmpty || scalar(dq.inputs[2], graph))
    }

    /// A zero point input: the given one, or a new constant 0 of `type`.
    private func zeroPoint(_ given: String?, like type: DataType, _ name: String, _ graph: inout Graph) -> String {
        if let given, !given.isEmpty { return given }
        graph.initializers[name] = type == .int8 ? Tensor(scalar: Int8(0)) : Tensor(scalar: UInt8(0))
        return name
    }

    /// The element type of a `DequantizeLinear`'s input: that of its zero point, else uint8.
    private func quantizedType(_ dq: Node, _ graph: Graph) -> DataType {
        graph.initializers[dq.inputs[0]]?.dataType ?? (dq.inputs.count > 2 ? graph.initializers[dq.inputs[2]]?.dataType : nil) ?? .uint8
    }

    /// The inputs of a node over two per-tensor 8-bit operands: a, a_scale, a_zero_point, b, b_scale, b_zero_point,
    /// y_scale, y_zero_point (absent zero points made constants).
    private func operands(_ node: Node, a: Node, b: Node, q: Node, _ graph: inout Graph) -> [String] {
        let yType = q.inputs.count > 2 && !q.inputs[2].isEmpty ? graph.initializers[q.inputs[2]]!.dataType : .uint8
        let prefix = node.outputs[0] + "#qdq_zero_"
        return [a.inputs[0], a.inputs[1], zeroPoint(a.inputs.count > 2 ? a.inputs[2] : nil, like: quantizedType(a, graph), prefix + "a", &graph),
                b.inputs[0], b.inputs[1], zeroPoint(b.inputs.count > 2 ? b.inputs[2] : nil, like: quantizedType(b, graph), prefix + "b", &graph),
                q.inputs[1], zeroPoint(q.inputs.count > 2 ? q.inputs[2] : nil, like: yType, prefix + "y", &graph)]
    }

    /// The quantized Add (`QuantizedAddOperator`): an `Add` node over the 8-bit operands marked `zoo.qlinear`.
    private func fuseAdd(_ node: Node, a: Node, b: Node, q: Node, relu: Bool, graph: inout Graph) throws -> Node? {
        let inputs = operands(node, a: a, b: b, q: q, &graph)
        var attributes: [String: Attribute] = [QuantizedAddOperator.attribute: .int(1), LayerNormFusion.fusedAttribute: .int(1)]
        if relu { attributes[FusedActivation.attribute] = .string(Array("Relu".utf8)) }
        return Node(name: node.name, opType: "Add", inputs: inputs, outputs: q.outputs, attributes: attributes)
    }

    /// The fused node, or nil when the layer's form is not one the integer operators take.
    private func fuse(_ node: Node, x: Node, w: Node, q: Node, relu: Bool, graph: inout Graph, producer: [String: Int]) throws -> Node? {
        if node.opType == "MatMul" && graph.initializers[w.inputs[0]] == nil {
            return relu || !perTensor(w, graph) ? nil : activationProduct(node, a: x, b: w, q: q, graph: &graph)
        }
        guard let weight = graph.initializers[w.inputs[0]], [.uint8, .int8].contains(weight.dataType), w.inputs.count >= 2, let wScale = graph.initializers[w.inputs[1]], wScale.dataType == .float else { return nil }
        let wZero = w.inputs.count > 2 && !w.inputs[2].isEmpty ? graph.initializers[w.inputs[2]] : nil
        if w.inputs.count > 2 && !w.inputs[2].isEmpty && wZero == nil { return nil }
        var axis = 1
        if case .int(let a)? = w.attributes["axis"] { axis = a }
        let isConv = node.opType == "Conv"
        var transposed = false, bias: String? = nil
        switch node.opType {
        case "Conv":
            guard weight.rank >= 3, wScale.count == 1 || (wScale.count == weight.shape[0] && axis == 0) else { return nil }
            if node.inputs.count > 2, !node.inputs[2].isEmpty { bias = node.inputs[2] }
        case "Gemm":
            func int(_ name: String, _ d: Int) -> Int { if case .int(let v)? = node.attributes[name] { return v }; return d }
            func float(_ name: String) -> Float { if case .float(let v)? = node.attributes[name] { return v }; return 1 }
            guard weight.rank == 2, int("transA", 0) == 0, float("alpha") == 1, float("beta") == 1 else { return nil }
            transposed = int("transB", 0) != 0
            guard wScale.count == 1 || (wScale.count == weight.shape[transposed ? 0 : 1] && axis == (transposed ? 0 : 1)) else { return nil }
            if node.inputs.count > 2, !node.inputs[2].isEmpty { bias = node.inputs[2] }
        default:
            guard weight.rank == 2, wScale.count == 1 || (wScale.count == weight.shape[1] && (axis == 1 || axis == -1)) else { return nil }
        }
        let outputs = transposed ? weight.shape[0] : (isConv ? weight.shape[0] : weight.shape[1])
        let xScale = graph.initializers[x.inputs[1]]!.pointer(Float.self)[0]
        let scales = (0..<outputs).map { xScale * wScale.pointer(Float.self)[wScale.count == 1 ? 0 : $0] }
        var biasName = ""
        if let bias {
            guard let values = biasValues(bias, graph: graph, producer: producer), values.count == outputs else { return nil }
            let quantized = (0..<outputs).map { Int32((values[$0] / Double(scales[$0])).rounded(.toNearestOrEven)) }
            biasName = node.outputs[0] + "#qdq_bias"
            graph.initializers[biasName] = try Tensor(shape: [outputs], scalars: quantized)
        }
        var weightName = w.inputs[0]
        if transposed {
            // Gemm's weight as N × K: written K × N for QLinearMatMul.
            let rows = weight.shape[0], cols = weight.shape[1]
            let t = try Tensor(zeros: weight.dataType, shape: [cols, rows])
            let src = weight.rawPointer.assumingMemoryBound(to: UInt8.self), dst = t.rawPointer.assumingMemoryBound(to: UInt8.self)
            for r in 0..<rows { for c in 0..<cols { dst[c * rows + r] = src[r * cols + c] } }
            weightName = node.outputs[0] + "#qdq_weight_t"
            graph.initializers[weightName] = t
        }
        let yType = q.inputs.count > 2 && !q.inputs[2].isEmpty ? graph.initializers[q.inputs[2]]!.dataType : .uint8
        let prefix = node.outputs[0] + "#qdq_zero_"
        let inputs = [x.inputs[0], x.inputs[1], zeroPoint(x.inputs.count > 2 ? x.inputs[2] : nil, like: quantizedType(x, graph), prefix + "x", &graph),
                      weightName, w.inputs[1], zeroPoint(w.inputs.count > 2 ? w.inputs[2] : nil, like: weight.dataType, prefix + "w", &graph),
                      q.inputs[1], zeroPoint(q.inputs.count > 2 ? q.inputs[2] : nil, like: yType, prefix + "y", &graph)]
            + (biasName.isEmpty ? [] : [biasName])
        var attributes = isConv ? node.attributes : [:]
        attributes[LayerNormFusion.fusedAttribute] = .int(1)
        if relu { attributes[FusedActivation.attribute] = .string(Array("Relu".utf8)) }
        return Node(name: node.name, opType: isConv ? "QLinearConv" : "QLinearMatMul", inputs: inputs, outputs: q.outputs, attributes: attributes)
    }

    /// The product of two activations (`QuantizedBatchMatMulOperator`), all parameters per tensor.
    private func activationProduct(_ node: Node, a: Node, b: Node, q: Node, graph: inout Graph) -> Node {
        let inputs = operands(node, a: a, b: b, q: q, &graph)
        return Node(name: node.name, opType: QuantizedBatchMatMulOperator.opType, domain: OperatorRegistry.internalDomain,
                    inputs: inputs, outputs: q.outputs)
    }

    /// A bias as float values: a float constant, or `DequantizeLinear` of a constant (per-tensor scale).
    private func biasValues(_ name: String, graph: Graph, producer: [String: Int]) -> [Double]? {
        if let t = graph.initializers[name] { return t.dataType == .float ? try? t.doubleValues() : nil }
        guard let i = producer[name], graph.nodes[i].opType == "DequantizeLinear", graph.nodes[i].inputs.count >= 2,
              let q = graph.initializers[graph.nodes[i].inputs[0]], let scale = graph.initializers[graph.nodes[i].inputs[1]],
              scale.dataType == .float, let values = try? q.doubleValues() else { return nil }
        let inputs = graph.nodes[i].inputs
        let zero = inputs.count > 2 && !inputs[2].isEmpty ? graph.initializers[inputs[2]].flatMap { try? $0.doubleValues() } : [0]
        guard let zero, scale.count == 1 || scale.count == values.count, zero.count == 1 || zero.count == values.count else { return nil }
        let s = scale.pointer(Float.self)
        return values.indices.map { Double(Float(values[$0] - zero[zero.count == 1 ? 0 : $0]) * s[scale.count == 1 ? 0 : $0]) }
    }
}
