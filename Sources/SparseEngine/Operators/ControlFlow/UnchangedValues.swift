/// Values a loop body returns unchanged. Exporters write a copy as a chain of operators (Paddle2ONNX's `assign`:
/// Unsqueeze, Add of zero, Squeeze), which would make a loop-carried value vary from one iteration to the next and
/// cost a copy per operator; seen through, it is passed through, invariant, and never copied.
extension Graph {
    /// The graph input that `value` equals, when the nodes producing it from that input only copy it: Identity,
    /// Add or Sub of a one-element zero and Mul or Div by a one-element one (of rank 0, or 1 inside an Unsqueeze,
    /// so that nothing broadcasts the value larger), and Unsqueeze undone by a Squeeze of the same axes.
    func unchangedInput(of value: String, opset: Int) -> String? {
        let producers = producers()
        let inputNames = Set(inputs.map(\.name))
        var name = value
        // Axes of the Squeezes met (walking back from the value), each to be undone by an Unsqueeze.
        var squeezes: [[Int]] = []
        while !inputNames.contains(name) {
            guard let index = producers[name] else { return nil }
            let node = nodes[index]
            switch node.opType {
            case "Identity":
                name = node.inputs[0]
            case "Squeeze":
                guard let axes = axes(of: node, opset: opset) else { return nil }
                squeezes.append(axes)
                name = node.inputs[0]
            case "Unsqueeze":
                guard let axes = axes(of: node, opset: opset), squeezes.popLast() == axes else { return nil }
                name = node.inputs[0]
            case "Add", "Sub", "Mul", "Div":
                let neutral: Double = node.opType == "Add" || node.opType == "Sub" ? 0 : 1
                let commutes = node.opType == "Add" || node.opType == "Mul"
                let maxRank = squeezes.isEmpty ? 0 : 1
                if isNeutral(node.inputs[1], neutral, maxRank: maxRank) {
                    name = node.inputs[0]
                } else if commutes && isNeutral(node.inputs[0], neutral, maxRank: maxRank) {
                    name = node.inputs[1]
                } else {
                    return nil
                }
            default:
                return nil
            }
        }
        return squeezes.isEmpty ? name : nil
    }

    /// The axes of a Squeeze or Unsqueeze, when they are constants.
    private func axes(of node: Node, opset: Int) -> [Int]? {
        if opset < 13 {
            guard case .ints(let axes)? = node.attributes["axes"] else { return nil }
            return axes
        }
        guard node.inputs.count > 1, let tensor = constant(node.inputs[1]) else { return nil }
        return try? tensor.intValues()
    }

    /// True when `name` is a constant of one element equal to `neutral`, of rank at most `maxRank`.
    private func isNeutral(_ name: String, _ neutral: Double, maxRank: Int) -> Bool {
        guard let tensor = constant(name), tensor.count == 1, tensor.rank <= maxRank else { return false }
        return (try? tensor.doubleValues()) == [neutral]
    }

    /// The contents of an initializer or of a Constant node's `value`.
    private func constant(_ name: String) -> Tensor? {
        if let tensor = initializers[name] { return tensor }
        guard let node = nodes.first(where: { $0.opType == "Constant" && $0.outputs.first == name }),
              case .tensor(let tensor)? = node.attributes["value"] else { return nil }
        return tensor
    }
}
