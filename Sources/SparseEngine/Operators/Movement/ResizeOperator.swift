import Foundation

/// `Resize` (opset 10–19) and `Upsample` (7–9): `nearest`, `linear` and `cubic` interpolation
/// of any number of axes, with every coordinate transform (`half_pixel`, `half_pixel_symmetric`,
/// `pytorch_half_pixel`, `align_corners`, `asymmetric`, `tf_crop_and_resize` with `roi` and
/// `extrapolation_value`), `nearest_mode`, `cubic_coeff_a`, `exclude_outside`, `antialias`,
/// `axes` and `keep_aspect_ratio_policy`. Output sizes come from `sizes`, else
/// `floor(input · scale)`. Opset 10 and Upsample behave as `asymmetric` + `floor`.
///
/// Interpolation is separable: each resized axis is computed from a table of taps (input
/// positions and weights per output position), one axis after the other. Nearest resizing of
/// any element type is a gather; of 4-byte elements along the last two axes only, a row-wise kernel
/// (`x32ResizeNearest2D`).
struct ResizeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { sizesIndex.map { [scalesIndex, $0] } ?? [scalesIndex] }
    private let kernel: InterpolationKernel
    private let coordinateMode: String
    private let nearestMode: String
    private let cubicA: Double
    private let excludeOutside: Bool
    private let extrapolation: Float
    private let antialias: Bool
    private let axes: [Int]?
    private let keepAspectRatio: String
    private let scalesAttribute: [Float]?
    private let scalesIndex: Int
    private let sizesIndex: Int?
    private let roiIndex: Int?

    init(_ c: OpContext) throws {
        self.c = c
        let legacy = c.node.opType == "Upsample" || c.opset < 11
        let mode = try c.string("mode", "nearest")
        switch mode {
        case "nearest": kernel = .nearest
        case "linear", "bilinear": kernel = .linear
        case "cubic" where !legacy: kernel = .cubic
        default: throw c.error(.unsupportedAttribute, "mode '\(mode)' is not supported (nearest, linear\(legacy ? "" : ", cubic"))")
        }
        if legacy {
            coordinateMode = "asymmetric"
            nearestMode = "floor"
        } else {
            coordinateMode = try c.string("coordinate_transformation_mode", "half_pixel")
            nearestMode = try c.string("nearest_mode", "round_prefer_floor")
        }
        let coordinateModes = ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize"]
        guard coordinateModes.contains(coordinateMode) else {
            throw c.error(.unsupportedAttribute, "coordinate_transformation_mode '\(coordinateMode)' is not supported")
        }
        guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else {
            throw c.error(.unsupportedAttribute, "nearest_mode '\(nearestMode)' is not supported")
        }
        cubicA = Double(try c.float("cubic_coeff_a", -0.75))
        excludeOutside = try c.int("exclude_outside", 0) != 0
        extrapolation = try c.float("extrapolation_value", 0)
        antialias = try c.int("antialias", 0) != 0
        axes = try c.ints("axes")
        keepAspectRatio = try c.string("keep_aspect_ratio_policy", "stretch")
        guard ["stretch", "not_larger", "not_smaller"].contains(keepAspectRatio) else {
            throw c.error(.unsupportedAttribute, "keep_aspect_ratio_policy '\(keepAspectRatio)' is not supported")
        }
        if c.node.opType == "Upsample" && c.opset < 9 {
            guard let s = try c.floats("scales") else { throw c.error(.invalidModel, "attribute 'scales' is required") }
            scalesAttribute = s
        } else {
            scalesAttribute = nil
        }
        scalesIndex = legacy ? 1 : 2
        sizesIndex = legacy ? nil : 3
        roiIndex = legacy ? nil : 1
    }

    /// Output size and scale factor of every axis.
    private func plan(_ inputs: [ValueSpec?], shape: [Int]) throws -> [(size: Int, scale: Double)] {
        let rank = shape.count
        let resized = try (axes ?? Array(0..<rank)).map { try c.axis($0, rank: rank) }
        var scales = try scalesAttribute.map { $0.map(Double.init) }
            ?? (inputs.count > scalesIndex ? c.knownDoubles(inputs[scalesIndex], "scales") : nil)
        if scales?.isEmpty == true { scales = nil }
        var sizes = try sizesIndex.flatMap { inputs.count > $0 ? try c.knownInts(inputs[$0], "sizes") : nil }
        if sizes?.isEmpty == true { sizes = nil }
        var result = shape.map { (size: $0, scale: 1.0) }
        if let sizes {
            guard sizes.count == resized.count, sizes.allSatisfy({ $0 >= 0 }) else {
                throw c.error(.shapeMismatch, "sizes \(sizes) must have one non-negative entry per resized axis (\(resized.count))")
            }
            let ratios = zip(resized, sizes).map { axis, size in shape[axis] == 0 ? 1 : Double(size) / Double(shape[axis]) }
            if keepAspectRatio == "stretch" {
                for (i, axis) in resized.enumerated() { result[axis] = (sizes[i], ratios[i]) }
            } else {
                let scale = keepAspectRatio == "not_larger" ? ratios.min() ?? 1 : ratios.max() ?? 1
                for axis in resized { result[axis] = (Int(scale * Double(shape[axis]) + 0.5), scale) }
            }
            return result
        }
        guard let scales, scales.count == resized.count, scales.allSatisfy({ $0 > 0 }) else {
            throw c.error(.invalidModel, "needs positive 'scales' (one per resized axis, \(resized.count)) or 'sizes'")
        }
        for (i, axis) in resized.enumerated() {
            result[axis] = (Int((Double(shape[axis]) * scales[i]).rounded(.down)), scales[i])
        }
        return result
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: kernel == .nearest && !antialias ? allTypes : floatTypes)
        return [ValueSpec(x.dataType, try plan(inputs, shape: x.shape).map(\.size))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        if y.count == 0 { return }
        let specs = inputs.map { $0.map { ValueSpec(known: $0) } }
        let axisPlans = try plan(specs, shape: x.shape)
        let roi = try roiIndex.flatMap { inputs.count > $0 ? try inputs[$0]?.doubleValues() : nil }
        let rank = x.rank
        let resized = try (axes ?? Array(0..<rank)).map { try c.axis($0, rank: rank) }
        var tables: [TapTable?] = []
        for d in 0..<rank {
            let (size, scale) = axisPlans[d]
            if size == x.shape[d] && scale == 1 && coordinateMode != "tf_crop_and_resize" {
                tables.append(nil)
                continue
            }
            var roiRange = (0.0, 1.0)
            if let roi, let slot = resized.firstIndex(of: d), roi.count == 2 * resized.count {
                roiRange = (roi[slot], roi[slot + resized.count])
            } else if let roi, roi.count == 2 * rank {
                roiRange = (roi[d], roi[d + rank])
            }
            tables.append(taps(inSize: x.shape[d], outSize: size, scale: scale, roi: roiRange))
        }
        if kernel == .nearest && !antialias && coordinateMode != "tf_crop_and_resize" {
            if rank >= 2 && x.dataType.byteSize == 4 && tables.dropLast(2).allSatisfy({ $0 == nil }) {
                let sources = (rank - 2..<rank).map { d in (0..<y.shape[d]).map { o in Int32(tables[d].map { $0.nearestSource(o) } ?? o) } }
                x32ResizeNearest2D(x.rawPointer, y.rawPointer, planes: x.shape.dropLast(2).reduce(1, *), inH: x.shape[rank - 2],
                                   inW: x.shape[rank - 1], rows: sources[0], columns: sources[1], pool: context.pool)
                return
            }
            mapIndices(x, y) { d, o in tables[d].map { $0.nearestSource(o) } ?? o }
            return
        }
        interpolate(x, y, tables)
    }

    /// Applies the tap tables axis after axis (float tensors).
    private func interpolate(_ x: Tensor, _ y: Tensor, _ tables: [TapTable?]) {
        var shape = x.shape
        var current = Array(x.buffer(Float.self))
        for (d, table) in tables.enumerated() {
            guard let table else { continue }
            let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
            let inSize = shape[d], outSize = table.outSize
            var next = [Float](repeating: 0, count: outer * outSize * inner)
            current.withUnsafeBufferPointer { src in
                next.withUnsafeMutableBufferPointer { dst in
                    for o in 0..<outer {
                        for p in 0..<outSize {
                            let row = dst.baseAddress! + (o * outSize + p) * inner
                            if table.extrapolate[p] {
                                row.update(repeating: extrapolation, count: inner)
                                continue
                            }
                            for (index, weight) in zip(table.indices[p], table.weights[p]) where weight != 0 {
                                let s = src.baseAddress! + (o * inSize + index) * inner
                                for i in 0..<inner { row[i] += weight * s[i] }
                            }
                        }
                    }
                }
            }
            current = next
            shape[d] = outSize
        }
        let out = y.pointer(Float.self)
        current.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: y.count) }
    }

    /// The taps of one axis: for each output position, input positions (clamped to the edge)
    /// with their weights, or a mark that it takes `extrapolation_value`.
    private func taps(inSize: Int, outSize: Int, scale: Double, roi: (Double, Double)) -> TapTable {
        var table = TapTable(outSize: outSize)
        let width = scale * Double(inSize)
        for p in 0..<outSize {
            let x = Double(p)
            var source: Double
            switch coordinateMode {
            case "align_corners": source = width == 1 ? 0 : x * Double(inSize - 1) / (width - 1)
            case "asymmetric": source = x / scale
            case "pytorch_half_pixel": source = width == 1 ? -0.5 : (x + 0.5) / scale - 0.5
            case "half_pixel_symmetric":
                let offset = Double(inSize) / 2 * (1 - Double(outSize) / width)
                source = offset + (x + 0.5) / scale - 0.5
            case "tf_crop_and_resize":
                let span = (roi.1 - roi.0) * Double(inSize - 1)
                source = (width == 1 ? span / 2 : x * span / (width - 1)) + roi.0 * Double(inSize - 1)
                if source < 0 || source > Double(inSize - 1) {
                    table.append(indices: [], weights: [], extrapolate: true)
                    continue
                }
            default: source = (x + 0.5) / scale - 0.5
            }
            // `base` is the tap left of the source, so that ratio = source − base is in (0, 1].
            let floor = source.rounded(.down)
            let base = source == floor ? Int(floor) - 1 : Int(floor)
            let ratio = source - Double(base)
            let (start, coefficients) = kernel.coefficients(ratio: ratio, scale: scale, antialias: antialias, a: cubicA, nearestMode: nearestMode)
            var weights = coefficients
            var indices: [Int] = []
            for k in weights.indices {
                let position = base + start + k
                if excludeOutside && (position < 0 || position >= inSize) { weights[k] = 0 }
                indices.append(Swift.min(Swift.max(position, 0), inSize - 1))
            }
            if excludeOutside {
                let sum = weights.reduce(0, +)
                if sum != 0 { weights = weights.map { $0 / sum } }
            }
            table.append(indices: indices, weights: weights.map { Float($0) }, extrapolate: false)
        }
        return table
    }
}

/// Per output position of one axis: input positions and weights.
private struct TapTable {
    let outSize: Int
    var indices: [[Int]] = []
    var weights: [[Float]] = []
    var extrapolate: [Bool] = []

    init(outSize: Int) { self.outSize = outSize }

    mutating func append(indices i: [Int], weights w: [Float], extrapolate e: Bool) {
        indices.append(i)
        weights.append(w)
        extrapolate.append(e)
    }

    /// The input position a nearest-neighbour output position copies (the tap of weight 1).
    func nearestSource(_ p: Int) -> Int {
        let w = weights[p]
        return indices[p][w.firstIndex(where: { $0 != 0 }) ?? 0]
    }
}

/// The 1-D interpolation kernels of Resize.
private enum InterpolationKernel: Equatable {
    case nearest, linear, cubic

    /// Weights of the taps `base + start + k` for a source `ratio` ∈ (0, 1] right of `base`;
    /// with `antialias` the kernel is stretched by 1/scale when downsampling.
    func coefficients(ratio: Double, scale: Double, antialias: Bool, a: Double, nearestMode: String) -> (Int, [Double]) {
        switch self {
        case .nearest:
            let right: Bool
            if ratio == 1 { right = true } else {
                switch nearestMode {
                case "round_prefer_ceil": right = ratio >= 0.5
                case "floor": right = false
                case "ceil": right = true
                default: right = ratio > 0.5
                }
            }
            return (0, right ? [0, 1] : [1, 0])
        case .linear:
            guard antialias else { return (0, [1 - ratio, ratio]) }
            let s = Swift.min(scale, 1)
            let start = Int((-1 / s).rounded(.down)) + 1
            let weights = (start..<(2 - start)).map { Swift.max(0, Swift.min(1, 1 - abs((Double($0) - ratio) * s))) }
            return (start, normalized(weights))
        case .cubic:
            guard antialias else {
                let weights = [ratio + 1, ratio, 1 - ratio, 2 - ratio].map { cubic(abs($0), a) }
                return (-1, weights)
            }
            let s = Swift.min(scale, 1)
            let start = Int((-2 / s).rounded(.down)) + 1
            return (start, normalized((start..<(2 - start)).map { cubic(abs(s * (Double($0) - ratio)), a) }))
        }
    }

    private func cubic(_ x: Double, _ a: Double) -> Double {
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }

    private func normalized(_ w: [Double]) -> [Double] {
        let sum = w.reduce(0, +)
        return sum == 0 ? w : w.map { $0 / sum }
    }
}
