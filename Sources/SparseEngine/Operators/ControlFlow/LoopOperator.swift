/// `Loop`: runs `body` while the iteration number is below the trip count `M` and the condition holds (either may
/// be omitted), handing N loop-carried values from one iteration to the next and stacking K scan outputs along a
/// new first axis.
///
/// The body's inputs are the iteration number, the condition and the N values (then the outer-scope values it
/// reads, `Node.capturesAttribute`); its outputs are the next condition, the N values and the K scan slices. When
/// the values keep their shapes and there are no scan outputs (SLANet's decoder, which stops on data), the outputs'
/// shapes are the initial values' and the number of iterations is learned while running. Otherwise planning follows
/// the loop iteration by iteration, which needs `M` and the condition known while planning: scan outputs need the
/// number of iterations, and changing values their last shapes.
final class LoopOperator: Operator {
    private let c: OpContext
    private let body: LoopBody
    private let carriedCount: Int
    private let scanOutputCount: Int

    /// With scan outputs, the trip count and the condition decide output shapes.
    var planTimeInputs: [Int] { scanOutputCount > 0 ? [0, 1] : [] }

    init(_ c: OpContext) throws {
        self.c = c
        let captured = c.node.capturedNames.count
        carriedCount = c.node.inputs.count - 2 - captured
        scanOutputCount = c.node.outputs.count - carriedCount
        guard carriedCount >= 0, scanOutputCount >= 0 else {
            throw c.error(.invalidModel, "a Loop needs inputs M, cond and N loop-carried values, and N + K outputs; it has \(c.node.inputs.count - captured) inputs and \(c.node.outputs.count) outputs")
        }
        let n = carriedCount
        body = try LoopBody(c, attribute: "body", carried: (0...n).map { (input: 1 + $0, output: $0) })
        guard body.declaredInputCount == 2 + n else {
            throw c.error(.invalidModel, "the body has \(body.declaredInputCount) inputs; with \(n) loop-carried values it needs \(2 + n) (iteration number, condition, the values)")
        }
        guard body.graph.outputs.count == 1 + n + scanOutputCount else {
            throw c.error(.invalidModel, "the body has \(body.graph.outputs.count) outputs; with \(n) loop-carried values and \(scanOutputCount) scan outputs it needs \(1 + n + scanOutputCount) (condition, the values, the scan outputs)")
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let trip = inputs.first ?? nil, condition = inputs.count > 1 ? inputs[1] : nil
        if let trip {
            guard trip.dataType == .int64, trip.count == 1 else {
                throw c.error(.invalidModel, "the trip count M must be one int64, not \(trip.dataType)\(trip.shape)")
            }
            if let count = try trip.value?.intValues()[0] { try checkTripCount(count) }
        }
        if let condition { try checkCondition(condition, "the condition") }
        let values = try (2..<inputs.count).map { try c.required(inputs, $0, $0 < 2 + carriedCount ? "loop-carried value" : "outer-scope value") }
        let carried = Array(values.prefix(carriedCount))
        let first = body.inputs(declared: [ValueSpec(known: Tensor(scalar: Int64(0))), condition ?? ValueSpec(known: Tensor(scalar: true))] + carried,
                                captured: Array(values.dropFirst(carriedCount)))
        let outputs = try body.inferOutputs(first, keepingValues: false)
        try checkIteration(outputs, first)
        body.register(first)
        let keepsShapes = zip(outputs[1...carriedCount], carried).allSatisfy { $0.shape == $1.shape } && outputs[0].shape == first[1].shape
        if keepsShapes && scanOutputCount == 0 {
            return carried.map { ValueSpec($0.dataType, $0.shape) }
        }
        return try followIterations(from: first, trip: trip, condition: condition, firstOutputs: outputs)
    }

    /// Infers the body iteration by iteration, with every known content, to learn the number of iterations and the
    /// loop-carried values' last shapes.
    private func followIterations(from first: [ValueSpec], trip: ValueSpec?, condition: ValueSpec?, firstOutputs: [ValueSpec]) throws -> [ValueSpec] {
        let why = scanOutputCount > 0 ? "the scan outputs' first dimension" : "the loop-carried values' shapes, which change per iteration,"
        var limit = Int.max
        if let trip {
            guard let value = trip.value else { throw c.error(.dataDependentShape, "the trip count is computed while running, but \(why) needs it while planning") }
            limit = try value.intValues()[0]
        }
        guard condition == nil || condition?.value != nil else {
            throw c.error(.dataDependentShape, "the condition is computed while running, but \(why) needs it while planning")
        }
        guard trip != nil || condition != nil else {
            throw c.error(.invalidModel, "a Loop without trip count and condition never ends")
        }
        var inputs = first
        var going = try condition?.value?.scalars(Bool.self)[0] ?? true
        var iterations = 0
        let slices = Array(firstOutputs.suffix(scanOutputCount))
        let sliceBytes = slices.reduce(0) { $0 + $1.shape.reduce(1, *) * ($1.dataType.byteSize ?? 8) }
        while iterations < limit && going {
            inputs[0] = ValueSpec(known: Tensor(scalar: Int64(iterations)))
            let outputs = try body.inferOutputs(inputs, keepingValues: true)
            try checkIteration(outputs, inputs)
            guard let next = outputs[0].value else {
                throw c.error(.dataDependentShape, "the body's condition is computed while running, but \(why) needs the number of iterations while planning")
            }
            for (k, (slice, planned)) in zip(outputs.suffix(scanOutputCount), slices).enumerated() where slice.shape != planned.shape {
                throw scanShapeChange(k, slice.shape, planned.shape, iteration: iterations)
            }
            going = try next.scalars(Bool.self)[0]
            for k in 0...carriedCount { inputs[1 + k] = outputs[k] }
            iterations += 1
            // A hostile trip count stops here, not after billions of iterations or at the allocation.
            try MemoryLimit.check(iterations * sliceBytes, what: "the scan outputs of \(iterations) iterations")
        }
        let carried = (0..<carriedCount).map { ValueSpec(inputs[2 + $0].dataType, inputs[2 + $0].shape) }
        return carried + slices.map { ValueSpec($0.dataType, [iterations] + $0.shape) }
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let limit = try inputs[0].map { try $0.intValues()[0] } ?? Int.max
        try checkTripCount(limit)
        var going = try inputs[1].map { try $0.scalars(Bool.self)[0] } ?? true
        let outer = inputs.dropFirst(2 + carriedCount).map { $0! }
        let initial = try (0..<carriedCount).map { k in
            guard let value = inputs[2 + k] else { throw c.error(.invalidModel, "loop-carried value #\(k) is missing") }
            return value
        }
        var carried = CarriedValues([inputs[1] ?? Tensor(scalar: true)] + initial)
        let planned = outputs.suffix(scanOutputCount).map { Array($0.shape.dropFirst()) }
        let plannedIterations = outputs.suffix(scanOutputCount).first?.shape.first
        var iterations = 0
        var plans: LoopBody.Plans?
        let run = body.startRun()
        while iterations < limit && going {
            let feeds = body.inputs(declared: [Tensor(scalar: Int64(iterations))] + carried.values, captured: outer)
            let chosen = plans ?? body.plans(for: feeds)
            plans = chosen
            let results = try body.run(feeds, plans: chosen, run: run, context: context)
            guard results[0].dataType == .bool, results[0].count == 1 else {
                throw c.error(.invalidModel, "the body's condition must be one bool, not \(results[0].dataType)\(results[0].shape)")
            }
            going = try results[0].scalars(Bool.self)[0]
            for (k, (slice, shape)) in zip(results.suffix(scanOutputCount), planned).enumerated() {
                guard slice.shape == shape else { throw scanShapeChange(k, slice.shape, shape, iteration: iterations) }
                guard iterations < plannedIterations! else { throw iterationCountChange(iterations + 1, plannedIterations!) }
                let target = outputs[carriedCount + k]
                (target.rawPointer + iterations * slice.byteCount).copyMemory(from: slice.rawPointer, byteCount: slice.byteCount)
            }
            try carried.update(Array(results.prefix(1 + carriedCount)), inputs: feeds)
            iterations += 1
        }
        if let plannedIterations, iterations != plannedIterations { throw iterationCountChange(iterations, plannedIterations) }
        for (k, (value, output)) in zip(carried.values.dropFirst(), outputs).enumerated() {
            guard value.shape == output.shape, value.dataType == output.dataType else {
                throw c.error(.shapeMismatch, "loop-carried value #\(k) ends as \(value.dataType)\(value.shape), but \(output.dataType)\(output.shape) was planned")
            }
            output.rawPointer.copyMemory(from: value.rawPointer, byteCount: value.byteCount)
        }
    }

    private func checkTripCount(_ count: Int) throws {
        guard count >= 0 else { throw c.error(.invalidModel, "the trip count M is \(count); it must not be negative") }
    }

    private func checkCondition(_ condition: ValueSpec, _ what: String) throws {
        guard condition.dataType == .bool, condition.count == 1 else {
            throw c.error(.invalidModel, "\(what) must be one bool, not \(condition.dataType)\(condition.shape)")
        }
    }

    /// The body's outputs for one iteration must give a one-bool condition and loop-carried values of their types.
    private func checkIteration(_ outputs: [ValueSpec], _ inputs: [ValueSpec]) throws {
        try checkCondition(outputs[0], "the body's condition output")
        for k in 0..<carriedCount where outputs[1 + k].dataType != inputs[2 + k].dataType {
            throw c.error(.invalidModel, "loop-carried value #\(k) enters the body as \(inputs[2 + k].dataType) but leaves it as \(outputs[1 + k].dataType)")
        }
    }

    private func scanShapeChange(_ k: Int, _ shape: [Int], _ planned: [Int], iteration: Int) -> EngineError {
        c.error(.shapeMismatch, "scan output #\(k) has shape \(shape) in iteration \(iteration) but \(planned) in the first; a scan output keeps one shape")
    }

    private func iterationCountChange(_ count: Int, _ planned: Int) -> EngineError {
        c.error(.dataDependentShape, "the loop ran \(count) iterations, but its scan outputs were planned for \(planned)")
    }
}
