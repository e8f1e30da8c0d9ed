/// `Scan`: runs `body` once per position along the scan axis of its M scan inputs, handing N state values from one
/// iteration to the next and stacking K scan outputs along their scan axes.
///
/// The body's inputs are the N states and one slice of each scan input (that axis removed), then the outer-scope
/// values it reads; its outputs are the N states and the K slices. Opset 9 on gives each scan input and output an
/// axis (`scan_input_axes`, `scan_output_axes`) and a direction (1 = from the end); opset 8 has a batch axis first
/// on every input and output, scans axis 1, and takes sequence lengths (only the full length is supported). States
/// keep their shapes from one iteration to the next.
final class ScanOperator: Operator {
    private let c: OpContext
    private let body: LoopBody
    private let stateCount: Int
    private let scanInputCount: Int
    private let scanOutputCount: Int
    /// Opset 8: inputs and outputs have a batch axis first, and the first input is the sequence lengths.
    private let batched: Bool
    private let inputAxes: [Int]
    private let inputReversed: [Bool]
    private let outputAxes: [Int]
    private let outputReversed: [Bool]

    init(_ c: OpContext) throws {
        self.c = c
        batched = c.opset < 9
        let given = c.node.inputs.count - c.node.capturedNames.count - (batched ? 1 : 0)
        guard let m = try c.optionalInt("num_scan_inputs"), m >= 1, m <= given else {
            throw c.error(.invalidModel, "attribute 'num_scan_inputs' must be between 1 and the \(given) inputs")
        }
        scanInputCount = m
        stateCount = given - m
        scanOutputCount = c.node.outputs.count - stateCount
        guard scanOutputCount >= 0 else {
            throw c.error(.invalidModel, "Scan has \(stateCount) states but only \(c.node.outputs.count) outputs")
        }
        let n = stateCount
        body = try LoopBody(c, attribute: "body", carried: (0..<n).map { (input: $0, output: $0) })
        guard body.declaredInputCount == n + m else {
            throw c.error(.invalidModel, "the body has \(body.declaredInputCount) inputs; with \(n) states and \(m) scan inputs it needs \(n + m)")
        }
        guard body.graph.outputs.count == n + scanOutputCount else {
            throw c.error(.invalidModel, "the body has \(body.graph.outputs.count) outputs; with \(n) states and \(scanOutputCount) scan outputs it needs \(n + scanOutputCount)")
        }
        func flags(_ name: String, _ count: Int) throws -> [Int] {
            let values = try c.ints(name) ?? Array(repeating: 0, count: count)
            guard values.count == count else { throw c.error(.invalidModel, "attribute '\(name)' has \(values.count) entries for \(count) values") }
            return values
        }
        inputReversed = try flags(batched ? "directions" : "scan_input_directions", m).map { $0 == 1 }
        inputAxes = batched ? Array(repeating: 0, count: m) : try flags("scan_input_axes", m)
        outputReversed = batched ? Array(repeating: false, count: scanOutputCount) : try flags("scan_output_directions", scanOutputCount).map { $0 == 1 }
        outputAxes = batched ? Array(repeating: 0, count: scanOutputCount) : try flags("scan_output_axes", scanOutputCount)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let given = try ((batched ? 1 : 0)..<inputs.count).map { try c.required(inputs, $0) }
        let scanned = stateCount + scanInputCount
        let batch = batched ? given[0].shape.first ?? 0 : 1
        if batched, let wrong = given.prefix(scanned).first(where: { $0.shape.first != batch }) {
            throw c.error(.shapeMismatch, "every state and scan input needs the batch of \(batch) first, not \(wrong.shape)")
        }
        // One batch's values: opset 8's batch axis removed.
        let values = given.enumerated().map { k, spec in batched && k < scanned ? ValueSpec(spec.dataType, Array(spec.shape.dropFirst())) : spec }
        let states = Array(values.prefix(stateCount))
        let scans = values[stateCount..<(stateCount + scanInputCount)]
        var length: Int?
        var slices: [ValueSpec] = []
        for (k, scan) in scans.enumerated() {
            let axis = try c.axis(inputAxes[k], rank: scan.shape.count)
            guard length == nil || length == scan.shape[axis] else {
                throw c.error(.shapeMismatch, "scan input #\(k) has \(scan.shape[axis]) positions along its scan axis, scan input #0 has \(length!)")
            }
            length = scan.shape[axis]
            var shape = scan.shape
            shape.remove(at: axis)
            slices.append(ValueSpec(scan.dataType, shape))
        }
        if batched, let lengths = inputs[0], try lengths.value.map({ try $0.intValues().contains { $0 != length } }) ?? true {
            throw c.error(.unsupportedOperator, "sequence_lens is supported only when absent, or known while planning and equal to the scan length \(length!)")
        }
        let bodyInputs = body.inputs(declared: states + slices, captured: Array(values.dropFirst(stateCount + scanInputCount)))
        let outputs = try body.inferOutputs(bodyInputs, keepingValues: false)
        for k in 0..<stateCount where outputs[k].dataType != states[k].dataType || outputs[k].shape != states[k].shape {
            throw c.error(.shapeMismatch, "state #\(k) enters the body as \(states[k].dataType)\(states[k].shape) but leaves it as \(outputs[k].dataType)\(outputs[k].shape); Scan's states keep their shapes")
        }
        body.register(bodyInputs)
        let prefix = batched ? [batch] : []
        let stateSpecs = states.map { ValueSpec($0.dataType, prefix + $0.shape) }
        let scanSpecs = try outputs.suffix(scanOutputCount).enumerated().map { k, slice in
            var shape = slice.shape
            shape.insert(length!, at: try c.axis(outputAxes[k], rank: shape.count + 1))
            return ValueSpec(slice.dataType, prefix + shape)
        }
        return stateSpecs + scanSpecs
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let given = inputs.dropFirst(batched ? 1 : 0).map { $0! }
        let batch = batched ? given[0].shape[0] : 1
        let outer = Array(given.dropFirst(stateCount + scanInputCount))
        for b in 0..<batch {
            let values = given.prefix(stateCount + scanInputCount).map { batched ? $0.element(b) : $0 }
            try scan(states: Array(values.prefix(stateCount)), scans: Array(values.dropFirst(stateCount)), outer: outer,
                     outputs: outputs.map { batched ? $0.element(b) : $0 }, context)
        }
    }

    /// One scan (one batch in opset 8): every position of the scan inputs through the body.
    private func scan(states: [Tensor], scans: [Tensor], outer: [Tensor], outputs: [Tensor], _ context: KernelContext) throws {
        let inputAxes = try zip(self.inputAxes, scans).map { try c.axis($0, rank: $1.rank) }
        let outputAxes = try zip(self.outputAxes, outputs.suffix(scanOutputCount)).map { try c.axis($0, rank: $1.rank) }
        let length = scans[0].shape[inputAxes[0]]
        var carried = CarriedValues(states)
        var plans: LoopBody.Plans?
        let run = body.startRun()
        for t in 0..<length {
            let slices = try scans.indices.map { k in try scans[k].slice(at: inputReversed[k] ? length - 1 - t : t, axis: inputAxes[k]) }
            let feeds = body.inputs(declared: carried.values + slices, captured: outer)
            let chosen = plans ?? body.plans(for: feeds)
            plans = chosen
            let results = try body.run(feeds, plans: chosen, run: run, context: context)
            for (k, slice) in results.suffix(scanOutputCount).enumerated() {
                let target = outputs[stateCount + k]
                var expected = target.shape
                expected.remove(at: outputAxes[k])
                guard slice.shape == expected, slice.dataType == target.dataType else {
                    throw c.error(.shapeMismatch, "scan output #\(k) has shape \(slice.shape) at position \(t), not the planned \(expected); a scan output keeps one shape")
                }
                target.write(slice, at: outputReversed[k] ? length - 1 - t : t, axis: outputAxes[k])
            }
            try carried.update(Array(results.prefix(stateCount)), inputs: feeds)
        }
        for (value, output) in zip(carried.values, outputs) {
            output.rawPointer.copyMemory(from: value.rawPointer, byteCount: output.byteCount)
        }
    }
}
