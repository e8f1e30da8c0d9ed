/// Folds `BatchNormalization` that directly follows a `Conv` (constant weights, the conv
/// output used only by the BatchNorm) into the convolution's weights and bias:
/// `W'[m] = W[m]·a[m]`, `B'[m] = B[m]·a[m] + b[m]` with `a = scale/√(var+ε)`, `b = B − mean·a`.
/// Zeros in W stay zeros, so folding before sparsity analysis is safe.
struct BatchNormFolding: GraphPass {
    var name: String { "batchnorm-folding" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var folded = 0
        var consumers = graph.consumers()
        var removed = Set<Int>()
        for (bi, bn) in graph.nodes.enumerated() where bn.opType == "BatchNormalization" && (bn.domain.isEmpty || bn.domain == "ai.onnx") {
            guard bn.inputs.count == 5, bn.outputs.count == 1 || bn.outputs.dropFirst().allSatisfy(\.isEmpty),
                  let ci = graph.nodes.firstIndex(where: { $0.outputs.first == bn.inputs[0] }),
                  graph.nodes[ci].opType == "Conv", !removed.contains(ci),
                  consumers[bn.inputs[0]]?.count == 1, !graph.isOutput(bn.inputs[0])
            else { continue }
            let conv = graph.nodes[ci]
            let params = bn.inputs[1...4].map { graph.initializers[$0] }
            guard conv.inputs.count >= 2, let w = graph.initializers[conv.inputs[1]], w.dataType == .float,
                  params.allSatisfy({ $0?.dataType == .float && $0?.count == w.shape.first }),
                  case let (scale?, bias?, mean?, variance?) = (params[0], params[1], params[2], params[3])
            else { continue }
            var epsilon: Float = 1e-5
            if case .float(let e)? = bn.attributes["epsilon"] { epsilon = e }
            if case .int(let t)? = bn.attributes["training_mode"], t != 0 { continue }
            let (a, b) = BatchNormOperator.affine(scale: scale, bias: bias, mean: mean, variance: variance, epsilon: epsilon)
            let m = w.shape[0], per = w.count / max(m, 1)
            let newW = try Tensor(zeros: .float, shape: w.shape)
            let src = w.pointer(Float.self), dst = newW.pointer(Float.self)
            for oc in 0..<m { for j in 0..<per { dst[oc * per + j] = src[oc * per + j] * a[oc] } }
            let newB = try Tensor(zeros: .float, shape: [m])
            let oldB = conv.inputs.count > 2 && !conv.inputs[2].isEmpty ? graph.initializers[conv.inputs[2]] : nil
            if conv.inputs.count > 2 && !conv.inputs[2].isEmpty && oldB == nil { continue }
            for oc in 0..<m { newB.pointer(Float.self)[oc] = (oldB?.pointer(Float.self)[oc] ?? 0) * a[oc] + b[oc] }
            let wName = conv.outputs[0] + "#bn_folded_W", bName = conv.outputs[0] + "#bn_folded_B"
            graph.initializers[wName] = newW
            graph.initializers[bName] = newB
            var fused = conv
            fused.inputs = [conv.inputs[0], wName, bName]
            fused.outputs = [bn.outputs[0]]
            graph.nodes[ci] = fused
            removed.insert(bi)
            consumers = graph.consumers()
            folded += 1
        }
        graph.rewrite(removing: removed)
        return folded
    }
}
