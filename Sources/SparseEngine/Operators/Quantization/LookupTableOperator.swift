/// `zoo.QLinearLookup(x)`: an 8-bit tensor mapped through a table of 256 8-bit values (attribute `table`, indexed by
/// x's bytes), the form `QDQLookupTable` gives to a chain of float elementwise operators between a
/// `DequantizeLinear` and a `QuantizeLinear`.
struct LookupTableOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "QLinearLookup"

    let c: OpContext
    let table: Tensor

    init(_ c: OpContext) throws {
        self.c = c
        guard let table = try c.tensor("table"), table.count == 256, [.uint8, .int8].contains(table.dataType) else {
            throw c.error(.invalidModel, "QLinearLookup needs a 'table' of 256 8-bit values")
        }
        self.table = table
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.uint8, .int8])
        return [ValueSpec(table.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!.rawPointer.assumingMemoryBound(to: UInt8.self), y = outputs[0].rawPointer.assumingMemoryBound(to: UInt8.self)
        let t = table.rawPointer.assumingMemoryBound(to: UInt8.self), count = outputs[0].count, chunk = 32_768
        let lookup = context.kernels.qs8.lookup
        context.pool.parallelFor((count + chunk - 1) / chunk) { i, _ in
            lookup(min(chunk, count - i * chunk), x + i * chunk, t, y + i * chunk)
        }
    }
}
