import CONNX
import CProtobufC

/// Converts protobuf-c graph messages (`GraphProto`, `NodeProto`, `AttributeProto`,
/// `ValueInfoProto`) into the engine's `Graph`.
struct GraphDecoder {
    let tensors: TensorProtoDecoder

    func decodeGraph(_ proto: UnsafePointer<Onnx__GraphProto>) throws -> Graph {
        let g = proto.pointee
        var initializers: [String: Tensor] = [:]
        for i in 0..<g.n_initializer {
            let t = g.initializer[i]!
            let name = cString(t.pointee.name)
            guard !name.isEmpty else {
                throw EngineError(.invalidModel, "initializer #\(i) has no name; every initializer must be named")
            }
            initializers[name] = try tensors.decode(t)
        }
        for i in 0..<g.n_sparse_initializer {
            let (name, tensor) = try decodeSparse(g.sparse_initializer[i]!)
            initializers[name] = tensor
        }
        var inputs: [ValueInfo] = []
        for i in 0..<g.n_input {
            let info = try decodeValueInfo(g.input[i]!)
            if initializers[info.name] == nil { inputs.append(info) }
        }
        var outputs: [ValueInfo] = []
        for i in 0..<g.n_output { outputs.append(try decodeValueInfo(g.output[i]!)) }
        var nodes: [Node] = []
        nodes.reserveCapacity(g.n_node)
        for i in 0..<g.n_node { nodes.append(try decodeNode(g.node[i]!)) }
        return Graph(name: cString(g.name), nodes: nodes, inputs: inputs, outputs: outputs, initializers: initializers)
    }

    func decodeNode(_ proto: UnsafePointer<Onnx__NodeProto>) throws -> Node {
        let n = proto.pointee
        var node = Node(name: cString(n.name), opType: cString(n.op_type), domain: cString(n.domain),
                        inputs: (0..<n.n_input).map { cString(n.input[$0]) },
                        outputs: (0..<n.n_output).map { cString(n.output[$0]) })
        for i in 0..<n.n_attribute {
            let a = n.attribute[i]!
            let name = cString(a.pointee.name)
            node.attributes[name] = try decodeAttribute(a, node: node)
        }
        return node.capturingOuterScope()
    }

    func decodeAttribute(_ proto: UnsafePointer<Onnx__AttributeProto>, node: Node) throws -> Attribute {
        let a = proto.pointee
        let name = cString(a.name)
        // IR v1 files have no type field; infer it from which field is present.
        var type = Int(a.type.rawValue)
        if a.has_type == 0 {
            if a.has_f != 0 { type = 1 } else if a.has_i != 0 { type = 2 } else if a.has_s != 0 { type = 3 }
            else if a.t != nil { type = 4 } else if a.n_floats > 0 { type = 6 } else if a.n_ints > 0 { type = 7 }
            else if a.n_strings > 0 { type = 8 } else if a.n_tensors > 0 { type = 9 } else if a.g != nil { type = 5 }
        }
        switch type {
        case 1: return .float(a.f)
        case 2: return .int(Int(a.i))
        case 3: return .string(Array(UnsafeBufferPointer(start: a.s.data, count: a.s.len)))
        case 4:
            guard let t = a.t else { throw EngineError(.invalidModel, "attribute '\(name)' of node '\(node.displayName)' (\(node.opType)) is a TENSOR without a tensor") }
            return .tensor(try tensors.decode(t, fallbackName: name))
        case 6: return .floats(Array(UnsafeBufferPointer(start: a.floats, count: a.n_floats)))
        case 7: return .ints(UnsafeBufferPointer(start: a.ints, count: a.n_ints).map { Int($0) })
        case 8: return .strings((0..<a.n_strings).map { Array(UnsafeBufferPointer(start: a.strings[$0].data, count: a.strings[$0].len)) })
        case 9: return .tensors(try (0..<a.n_tensors).map { try tensors.decode(a.tensors[$0]!, fallbackName: name) })
        case 5:
            guard let g = a.g else { throw EngineError(.invalidModel, "attribute '\(name)' of node '\(node.displayName)' (\(node.opType)) is a GRAPH without a graph") }
            return .graph(try decodeGraph(g))
        case 10: return .unsupported("GRAPHS")
        case 11:
            guard let s = a.sparse_tensor else { return .unsupported("SPARSE_TENSOR") }
            return .tensor(try decodeSparse(s).1)
        case 12: return .unsupported("SPARSE_TENSORS")
        case 13: return .unsupported("TYPE_PROTO")
        case 14: return .unsupported("TYPE_PROTOS")
        default: return .unsupported("UNDEFINED")
        }
    }

    func decodeValueInfo(_ proto: UnsafePointer<Onnx__ValueInfoProto>) throws -> ValueInfo {
        let v = proto.pointee
        let name = cString(v.name)
        // Sub-graph outputs may carry an empty type (spox writes `type {}`): nothing declared.
        guard let type = v.type, type.pointee.value_case.rawValue != 0 else { return ValueInfo(name: name, dataType: .undefined, shape: nil) }
        guard type.pointee.value_case.rawValue == 1, let tt = type.pointee.tensor_type else {
            throw EngineError(.unsupportedDataType, "value '\(name)' is not a tensor (sequence, map or optional); the engine only runs tensor graphs")
        }
        let dataType = try DataType.decode(tt.pointee.elem_type, context: "value '\(name)'")
        guard let shape = tt.pointee.shape else { return ValueInfo(name: name, dataType: dataType, shape: nil) }
        var dims: [Dimension] = []
        for i in 0..<shape.pointee.n_dim {
            let d = shape.pointee.dim[i]!.pointee
            switch d.value_case.rawValue {
            case 1: dims.append(d.dim_value >= 0 ? .fixed(Int(d.dim_value)) : .unknown)
            case 2:
                // Paddle2ONNX writes "?" for every dimension it cannot name: those are not one shared size.
                let param = d.dim_param.map { String(cString: $0) } ?? ""
                dims.append(param.isEmpty || param == "?" ? .unknown : .symbolic(param))
            default: dims.append(.unknown)
            }
        }
        return ValueInfo(name: name, dataType: dataType, shape: dims)
    }

    /// Densifies a `SparseTensorProto` (indices either `[NNZ]` linear or `[NNZ, rank]`).
    func decodeSparse(_ proto: UnsafePointer<Onnx__SparseTensorProto>) throws -> (String, Tensor) {
        let s = proto.pointee
        guard let valuesProto = s.values, let indicesProto = s.indices else {
            throw EngineError(.invalidModel, "sparse tensor without values or indices")
        }
        let values = try tensors.decode(valuesProto)
        let indices = try tensors.decode(indicesProto).intValues()
        let name = cString(valuesProto.pointee.name)
        let shape = (0..<s.n_dims).map { Int(s.dims[$0]) }
        let dense = try Tensor(zeros: values.dataType, shape: shape)
        let size = values.dataType.byteSize!
        let nnz = values.count
        let strides = contiguousStrides(shape)
        let total = dense.count
        for k in 0..<nnz {
            var linear = 0
            if indices.count == nnz {
                linear = indices[k]
            } else if indices.count == nnz * shape.count {
                for d in 0..<shape.count { linear += indices[k * shape.count + d] * strides[d] }
            } else {
                throw EngineError(.invalidModel, "sparse tensor '\(name)' has \(indices.count) indices for \(nnz) values")
            }
            guard linear >= 0 && linear < total else {
                throw EngineError(.invalidModel, "sparse tensor '\(name)' has index \(linear) outside \(shape)")
            }
            (dense.rawPointer + linear * size).copyMemory(from: values.rawPointer + k * size, byteCount: size)
        }
        return (name, dense)
    }
}
