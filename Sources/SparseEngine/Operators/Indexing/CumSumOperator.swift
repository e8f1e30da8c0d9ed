/// `CumSum` along the axis given by the second input, optionally `exclusive` (each element
/// omits itself) and `reverse` (summing from the end).
struct CumSumOperator: Operator {
    let c: OpContext
    let exclusive: Bool, reverse: Bool

    init(_ c: OpContext) throws {
        self.c = c
        exclusive = try c.int("exclusive", 0) != 0
        reverse = try c.int("reverse", 0) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        _ = try c.required(inputs, 1, "axis")
        try c.check(x.dataType, in: [.float, .double, .int32, .int64, .uint32, .uint64])
        return [ValueSpec(x.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        guard let rawAxis = try inputs[1]!.intValues().first else { throw c.error(.invalidModel, "axis must hold one integer") }
        let a = try c.axis(rawAxis, rank: x.rank)
        let values = try x.doubleValues()
        var sums = [Double](repeating: 0, count: values.count)
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        for o in 0..<outer {
            for i in 0..<inner {
                var running = 0.0
                for step in 0..<n {
                    let j = reverse ? n - 1 - step : step, p = (o * n + j) * inner + i
                    if exclusive { sums[p] = running; running += values[p] } else { running += values[p]; sums[p] = running }
                }
            }
        }
        try writeDoubles(sums, to: y)
    }
}
