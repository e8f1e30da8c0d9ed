/// Fuses `Relu` and constant-bounded `Clip` into the preceding `Conv`, `Gemm` or `MatMul` (applied in
/// its epilogue, after a fused Add) when the intermediate value has no other reader and is not a graph output.
struct ActivationFusion: GraphPass {
    var name: String { "activation-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var fused = 0
        var removed = Set<Int>()
        let consumers = graph.consumers()
        let producer = graph.producers()
        for (ai, act) in graph.nodes.enumerated() where act.opType == "Relu" || act.opType == "Clip" {
            guard act.domain.isEmpty, let x = act.inputs.first, let pi = producer[x], !removed.contains(pi),
                  ["Conv", "Gemm", "MatMul"].contains(graph.nodes[pi].opType), graph.nodes[pi].domain.isEmpty,
                  graph.nodes[pi].attributes[FusedActivation.attribute] == nil,
                  consumers[x]?.count == 1, !graph.isOutput(x), graph.nodes[pi].outputs.count == 1
            else { continue }
            var attributes: [String: Attribute] = [FusedActivation.attribute: .string(Array(act.opType.utf8))]
            if act.opType == "Clip" {
                var lo = -Float.infinity, hi = Float.infinity
                if (opsets[""] ?? 0) < 11 {
                    if case .float(let v)? = act.attributes["min"] { lo = v }
                    if case .float(let v)? = act.attributes["max"] { hi = v }
                } else {
                    func bound(_ i: Int) -> Float?? {
                        guard act.inputs.count > i, !act.inputs[i].isEmpty else { return .some(nil) }
                        guard let t = graph.initializers[act.inputs[i]], t.dataType == .float, t.count == 1 else { return nil }
                        return .some(t.pointer(Float.self)[0])
                    }
                    guard let l = bound(1), let h = bound(2) else { continue }
                    lo = l ?? lo
                    hi = h ?? hi
                }
                attributes[FusedActivation.minAttribute] = .float(lo)
                attributes[FusedActivation.maxAttribute] = .float(hi)
            }
            graph.nodes[pi].attributes.merge(attributes) { $1 }
            graph.nodes[pi].outputs = [act.outputs[0]]
            removed.insert(ai)
            fused += 1
        }
        graph.rewrite(removing: removed)
        return fused
    }
}
