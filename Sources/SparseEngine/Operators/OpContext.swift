/// A node plus its opset, with typed attribute access and uniform error messages.
struct OpContext {
    let node: Node
    let opset: Int

    /// An error that names the node, operator and opset.
    func error(_ code: EngineError.Code, _ what: String) -> EngineError {
        EngineError.node(code, what, node, opset: opset)
    }

    private func typeError(_ name: String, _ expected: String, _ got: Attribute) -> EngineError {
        error(.invalidModel, "attribute '\(name)' must be \(expected), not \(got.typeName)")
    }

    func int(_ name: String, _ defaultValue: Int) throws -> Int {
        try optionalInt(name) ?? defaultValue
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let a = node.attributes[name] else { return nil }
        switch a {
        case .int(let v): return v
        default: throw typeError(name, "INT", a)
        }
    }

    func float(_ name: String, _ defaultValue: Float) throws -> Float {
        try optionalFloat(name) ?? defaultValue
    }

    func optionalFloat(_ name: String) throws -> Float? {
        guard let a = node.attributes[name] else { return nil }
        switch a {
        case .float(let v): return v
        case .int(let v): return Float(v)
        default: throw typeError(name, "FLOAT", a)
        }
    }

    func ints(_ name: String) throws -> [Int]? {
        guard let a = node.attributes[name] else { return nil }
        switch a {
        case .ints(let v): return v
        case .int(let v): return [v]
        default: throw typeError(name, "INTS", a)
        }
    }

    func floats(_ name: String) throws -> [Float]? {
        guard let a = node.attributes[name] else { return nil }
        switch a {
        case .floats(let v): return v
        case .float(let v): return [v]
        default: throw typeError(name, "FLOATS", a)
        }
    }

    func string(_ name: String, _ defaultValue: String) throws -> String {
        guard let a = node.attributes[name] else { return defaultValue }
        switch a {
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: throw typeError(name, "STRING", a)
        }
    }

    func tensor(_ name: String) throws -> Tensor? {
        guard let a = node.attributes[name] else { return nil }
        switch a {
        case .tensor(let t): return t
        default: throw typeError(name, "TENSOR", a)
        }
    }

    /// The `i`-th input, which must be present.
    func required(_ inputs: [ValueSpec?], _ i: Int, _ what: String = "") throws -> ValueSpec {
        guard i < inputs.count, let spec = inputs[i] else {
            throw error(.invalidModel, "input #\(i)\(what.isEmpty ? "" : " (\(what))") is required but missing")
        }
        return spec
    }

    /// Integer contents of an input that must be known at plan time (shape, axes, pads…).
    func knownInts(_ spec: ValueSpec?, _ what: String) throws -> [Int]? {
        guard let spec else { return nil }
        guard let value = spec.value else {
            throw error(.dataDependentShape, "'\(what)' is computed from data at run time; the engine needs it fixed for a given input shape")
        }
        return try value.intValues()
    }

    /// Float contents of an input that must be known at plan time (Resize scales…).
    func knownDoubles(_ spec: ValueSpec?, _ what: String) throws -> [Double]? {
        guard let spec else { return nil }
        guard let value = spec.value else {
            throw error(.dataDependentShape, "'\(what)' is computed from data at run time; the engine needs it fixed for a given input shape")
        }
        return try value.doubleValues()
    }

    /// Normalizes a possibly negative axis against `rank`, or throws.
    func axis(_ axis: Int, rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else {
            throw error(.invalidModel, "axis \(axis) is out of range for rank \(rank)")
        }
        return a
    }

    /// Throws unless `type` is one of `allowed`.
    func check(_ type: DataType, in allowed: [DataType], _ what: String = "input") throws {
        guard allowed.contains(type) else {
            throw error(.unsupportedDataType, "\(what) of type \(type) is not supported (supported: \(allowed.map(\.description).joined(separator: ", ")))")
        }
    }
}

let floatTypes: [DataType] = [.float]
let numericTypes: [DataType] = [.float, .double, .int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64]
let allTypes: [DataType] = numericTypes + [.bool, .float16, .bfloat16]
