import Foundation

/// `RoiAlign` (float, NCHW): each region of interest `[x1, y1, x2, y2]` (scaled by `spatial_scale`) of its batch item
/// divided into `output_height × output_width` bins, each the average (`mode` avg) or the largest (max) of bilinear
/// samples on a regular grid (`sampling_ratio` per side, or as many as the bin spans). `coordinate_transformation_mode`
/// half_pixel (the default from opset 16) shifts coordinates by half a pixel; output_half_pixel (opset 10's only
/// behaviour) does not, and widens regions to at least one pixel. As ONNX Runtime, max takes the largest of the four
/// weighted neighbours of each sample, and samples beyond a pixel outside the image count as 0.
struct RoiAlignOperator: Operator {
    private let c: OpContext
    private let averages: Bool
    private let outputHeight: Int, outputWidth: Int
    private let samplingRatio: Int
    private let spatialScale: Float
    private let halfPixel: Bool

    init(_ c: OpContext) throws {
        self.c = c
        let mode = try c.string("mode", "avg")
        guard mode == "avg" || mode == "max" else { throw c.error(.unsupportedAttribute, "mode '\(mode)' is neither avg nor max") }
        averages = mode == "avg"
        outputHeight = try c.int("output_height", 1)
        outputWidth = try c.int("output_width", 1)
        samplingRatio = try c.int("sampling_ratio", 0)
        guard outputHeight > 0, outputWidth > 0, samplingRatio >= 0 else {
            throw c.error(.invalidModel, "output_height \(outputHeight) and output_width \(outputWidth) must be positive, sampling_ratio \(samplingRatio) not negative")
        }
        spatialScale = try c.float("spatial_scale", 1)
        let transformation = try c.string("coordinate_transformation_mode", c.opset >= 16 ? "half_pixel" : "output_half_pixel")
        guard transformation == "half_pixel" || transformation == "output_half_pixel" else {
            throw c.error(.unsupportedAttribute, "coordinate_transformation_mode '\(transformation)' is neither half_pixel nor output_half_pixel")
        }
        halfPixel = transformation == "half_pixel"
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0, "X"), rois = try c.required(inputs, 1, "rois"), indices = try c.required(inputs, 2, "batch_indices")
        try c.check(x.dataType, in: floatTypes, "X")
        try c.check(rois.dataType, in: floatTypes, "rois")
        try c.check(indices.dataType, in: [.int64], "batch_indices")
        guard x.shape.count == 4 else { throw c.error(.invalidModel, "X must be [batch, channels, height, width], got \(x.shape)") }
        guard rois.shape.count == 2, rois.shape[1] == 4, indices.shape == [rois.shape[0]] else {
            throw c.error(.shapeMismatch, "rois must be [regions, 4] and batch_indices [regions], got \(rois.shape) and \(indices.shape)")
        }
        return [ValueSpec(.float, [rois.shape[0], x.shape[1], outputHeight, outputWidth])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, rois = inputs[1]!.pointer(Float.self), items = try inputs[2]!.intValues()
        let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        if let bad = items.first(where: { $0 < 0 || $0 >= batch }) {
            throw c.error(.invalidInput, "batch index \(bad) is outside the batch of \(batch)")
        }
        let output = outputs[0].pointer(Float.self)
        for (region, item) in items.enumerated() {
            let samples = try self.samples(rois + region * 4, height: height, width: width)
            for channel in 0..<channels {
                let plane = UnsafePointer(x.pointer(Float.self) + (item * channels + channel) * height * width)
                let out = output + (region * channels + channel) * outputHeight * outputWidth
                for (bin, binSamples) in samples.enumerated() { out[bin] = pool(binSamples, plane) }
            }
        }
    }

    /// One bilinear sample: the four neighbours' offsets in a plane and their weights.
    private struct Sample {
        var offsets: (Int, Int, Int, Int)
        var weights: (Float, Float, Float, Float)
    }

    /// The samples of every bin of the region at `roi`, bins in row-major order.
    private func samples(_ roi: UnsafePointer<Float>, height: Int, width: Int) throws -> [[Sample]] {
        let offset: Float = halfPixel ? 0.5 : 0
        let startX = roi[0] * spatialScale - offset, startY = roi[1] * spatialScale - offset
        var regionWidth = roi[2] * spatialScale - offset - startX, regionHeight = roi[3] * spatialScale - offset - startY
        if !halfPixel {
            regionWidth = max(regionWidth, 1)
            regionHeight = max(regionHeight, 1)
        }
        let binHeight = regionHeight / Float(outputHeight), binWidth = regionWidth / Float(outputWidth)
        // Samples per bin side: a region of no (or negative) size has none, and its bins are 0, as in ONNX Runtime.
        let spanY = ceil(regionHeight / Float(outputHeight)), spanX = ceil(regionWidth / Float(outputWidth))
        guard spanY.isFinite, spanX.isFinite, spanY * spanX <= Float(1 << 24) else {
            throw c.error(.invalidInput, "region [\(roi[0]), \(roi[1]), \(roi[2]), \(roi[3])] is not finite or needs over 2^24 samples per bin")
        }
        let gridY = samplingRatio > 0 ? samplingRatio : max(Int(spanY), 0)
        let gridX = samplingRatio > 0 ? samplingRatio : max(Int(spanX), 0)
        var bins: [[Sample]] = []
        for row in 0..<outputHeight {
            for column in 0..<outputWidth {
                var binSamples: [Sample] = []
                for iy in 0..<gridY {
                    let y = startY + Float(row) * binHeight + (Float(iy) + 0.5) * binHeight / Float(gridY)
                    for ix in 0..<gridX {
                        let x = startX + Float(column) * binWidth + (Float(ix) + 0.5) * binWidth / Float(gridX)
                        binSamples.append(sample(y: y, x: x, height: height, width: width))
                    }
                }
                bins.append(binSamples)
            }
        }
        return bins
    }

    /// The bilinear sample at (`y`, `x`); all weights 0 beyond a pixel outside the image.
    private func sample(y: Float, x: Float, height: Int, width: Int) -> Sample {
        guard y >= -1, y <= Float(height), x >= -1, x <= Float(width) else {
            return Sample(offsets: (0, 0, 0, 0), weights: (0, 0, 0, 0))
        }
        var y = max(y, 0), x = max(x, 0)
        var low = (Int(y), Int(x)), high = (low.0 + 1, low.1 + 1)
        if low.0 >= height - 1 { low.0 = height - 1; high.0 = height - 1; y = Float(low.0) }
        if low.1 >= width - 1 { low.1 = width - 1; high.1 = width - 1; x = Float(low.1) }
        let ly = y - Float(low.0), lx = x - Float(low.1), hy = 1 - ly, hx = 1 - lx
        return Sample(offsets: (low.0 * width + low.1, low.0 * width + high.1, high.0 * width + low.1, high.0 * width + high.1),
                      weights: (hy * hx, hy * lx, ly * hx, ly * lx))
    }

    /// A bin's value in `plane`: the mean of its samples, or the largest weighted neighbour of any sample.
    private func pool(_ samples: [Sample], _ plane: UnsafePointer<Float>) -> Float {
        if averages {
            let sum = samples.reduce(Float(0)) { sum, s in
                sum + s.weights.0 * plane[s.offsets.0] + s.weights.1 * plane[s.offsets.1]
                    + s.weights.2 * plane[s.offsets.2] + s.weights.3 * plane[s.offsets.3]
            }
            return sum / Float(max(samples.count, 1))
        }
        guard !samples.isEmpty else { return 0 }
        return samples.reduce(-Float.infinity) { best, s in
            max(best, s.weights.0 * plane[s.offsets.0], s.weights.1 * plane[s.offsets.1],
                s.weights.2 * plane[s.offsets.2], s.weights.3 * plane[s.offsets.3])
        }
    }
}
