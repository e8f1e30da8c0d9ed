/// `zoo.FeaturePanels(x)`: x ([…, K], token-major) laid out as `ActivationLayout.featurePanels`, for several sparse
/// linear layers that read the same activations (a transformer's Q, K and V projections; `SharedFeaturePanels`).
///
/// Each of them would otherwise transpose x into the same panels itself, in a parallel region of its own. The output
/// has x's shape and values; only the memory order differs, so only sparse linear layers marked to read panels may
/// read it. The transposes run 16 × 16 at a time on the kernel set's `transpose`, tasks of one panel and a run of
/// features.
struct FeaturePanelsOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "FeaturePanels"
    /// Features per task: a panel's 64 tokens × 256 features are 64 KiB.
    static let featuresPerTask = 256

    let c: OpContext

    init(_ c: OpContext) throws { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.float])
        guard !x.shape.isEmpty else { throw c.error(.shapeMismatch, "a scalar has no features to lay out in panels") }
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, features = x.shape.last!
        guard features > 0, x.count > 0 else { return }
        let tokens = x.count / features, width = context.kernels.spmmPixels
        let source = x.pointer(Float.self), destination = outputs[0].pointer(Float.self)
        let panels = (tokens + width - 1) / width, runs = (features + Self.featuresPerTask - 1) / Self.featuresPerTask
        let transpose = context.kernels.transpose
        context.pool.parallelFor(panels * runs) { task, _ in
            let panel = task / runs, f0 = task % runs * Self.featuresPerTask, f1 = min(features, f0 + Self.featuresPerTask)
            let t0 = panel * width, count = min(width, tokens - t0)
            // Feature f of the panel's tokens is its row f, `count` floats long.
            transposeInBlocks(source + t0 * features + f0, ldSource: features, rows: count, columns: f1 - f0,
                              into: destination + t0 * features + f0 * count, ldDestination: count, transpose: transpose)
        }
    }
}
