/// `DequantizeLinear` → `Softmax` → `QuantizeLinear`, with constant per-tensor parameters and the same 8-bit type on
/// both sides (the attention weights of ONNX Runtime's quantized transformers), becomes one
/// `QuantizedSoftmaxOperator` over the 8-bit tensors, so the engine computes what ONNX Runtime computes for the group
/// (its `QLinearSoftmax`: a table of exponentials and the output scale taken as ⌊1 / y_scale⌋), which is not what
/// the float operators compute. The `DequantizeLinear` is left for dead-code elimination when nothing else reads it.
struct QDQSoftmaxFusion: GraphPass {
    var name: String { "qdq-softmax-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers(), producer = graph.producers()
        var removed = Set<Int>(), replacements: [Int: Node] = [:]
        for (si, softmax) in graph.nodes.enumerated() where softmax.opType == "Softmax" && softmax.domain.isEmpty {
            guard softmax.inputs.count == 1, softmax.outputs.count == 1, !graph.isOutput(softmax.outputs[0]),
                  let di = producer[softmax.inputs[0]], let readers = consumers[softmax.outputs[0]], readers.count == 1,
                  let dq = parameters(graph.nodes[di], "DequantizeLinear", graph), let q = parameters(graph.nodes[readers[0]], "QuantizeLinear", graph),
                  dq.type == q.type, !removed.contains(readers[0])
            else { continue }
            let opset = opsets[""] ?? 13
            var axis = opset >= 13 ? -1 : 1
            if case .int(let a)? = softmax.attributes["axis"] { axis = a }
            let node = graph.nodes[readers[0]]
            replacements[si] = Node(name: softmax.name, opType: QuantizedSoftmaxOperator.opType, domain: OperatorRegistry.internalDomain,
                                    inputs: [graph.nodes[di].inputs[0], dq.scale, dq.zero, q.scale, q.zero], outputs: node.outputs,
                                    attributes: ["axis": .int(axis), "opset": .int(opset)])
            removed.insert(readers[0])
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }

    /// The scale, zero point and 8-bit type of a `DequantizeLinear` or `QuantizeLinear` (`opType`) with one
    /// constant scale and a constant zero point; nil for any other node.
    private func parameters(_ node: Node, _ opType: String, _ graph: Graph) -> (scale: String, zero: String, type: DataType)? {
        guard node.opType == opType, node.domain.isEmpty, node.inputs.count == 3, node.outputs.count == 1,
              let scale = graph.initializers[node.inputs[1]], scale.count == 1, scale.dataType == .float,
              let zero = graph.initializers[node.inputs[2]], zero.count == 1, [.uint8, .int8].contains(zero.dataType)
        else { return nil }
        return (node.inputs[1], node.inputs[2], zero.dataType)
    }
}
