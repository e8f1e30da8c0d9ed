/// `GridSample` (opset 16, 2-D): samples X [N, C, H, W] at the normalized locations of grid
/// [N, H_out, W_out, 2] (x, y in [−1, 1]) by `bilinear`, `nearest` (round half to even) or
/// `bicubic` (Keys, a = −0.75) interpolation; `padding_mode` `zeros`, `border` or `reflection`
/// decides what lies outside; `align_corners` maps ±1 to the corner pixels' centres.
struct GridSampleOperator: Operator {
    let c: OpContext
    let mode: String
    let padding: String
    let alignCorners: Bool

    init(_ c: OpContext) throws {
        self.c = c
        mode = try c.string("mode", "bilinear")
        padding = try c.string("padding_mode", "zeros")
        alignCorners = try c.int("align_corners", 0) != 0
        guard ["bilinear", "nearest", "bicubic"].contains(mode) else { throw c.error(.unsupportedAttribute, "mode '\(mode)' is not supported (bilinear, nearest, bicubic)") }
        guard ["zeros", "border", "reflection"].contains(padding) else { throw c.error(.unsupportedAttribute, "padding_mode '\(padding)' is not supported") }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), grid = try c.required(inputs, 1, "grid")
        try c.check(x.dataType, in: floatTypes); try c.check(grid.dataType, in: floatTypes, "grid")
        guard x.shape.count == 4, grid.shape.count == 4, grid.shape[0] == x.shape[0], grid.shape[3] == 2 else {
            throw c.error(.shapeMismatch, "X \(x.shape) must be [N, C, H, W] and grid \(grid.shape) [N, H_out, W_out, 2]")
        }
        return [ValueSpec(.float, [x.shape[0], x.shape[1], grid.shape[1], grid.shape[2]])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, grid = inputs[1]!.pointer(Float.self), y = outputs[0].pointer(Float.self)
        let (n, channels, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (outputs[0].shape[2], outputs[0].shape[3])
        let xp = x.pointer(Float.self)
        let bounds = alignCorners ? (0.0, Double(w - 1), 0.0, Double(h - 1)) : (-0.5, Double(w) - 0.5, -0.5, Double(h) - 0.5)
        for img in 0..<n {
            for ch in 0..<channels {
                let plane = xp + (img * channels + ch) * h * w
                func pixel(_ r: Int, _ col: Int) -> Double {
                    switch padding {
                    case "zeros": return r >= 0 && r < h && col >= 0 && col < w ? Double(plane[r * w + col]) : 0
                    case "border": return Double(plane[Swift.min(Swift.max(r, 0), h - 1) * w + Swift.min(Swift.max(col, 0), w - 1)])
                    default:
                        let rr = Int(reflect(Double(r), bounds.2, bounds.3)), cc = Int(reflect(Double(col), bounds.0, bounds.1))
                        return Double(plane[Swift.min(Swift.max(rr, 0), h - 1) * w + Swift.min(Swift.max(cc, 0), w - 1)])
                    }
                }
                for p in 0..<(oh * ow) {
                    let g = grid + (img * oh * ow + p) * 2
                    var sx = denormalize(Double(g[0]), w), sy = denormalize(Double(g[1]), h)
                    if mode == "nearest" { sx = sx.rounded(.toNearestOrEven); sy = sy.rounded(.toNearestOrEven) }
                    if sx < bounds.0 || sx > bounds.1 || sy < bounds.2 || sy > bounds.3 {
                        if padding == "border" {
                            sx = Swift.min(Swift.max(sx, 0), Double(w - 1)); sy = Swift.min(Swift.max(sy, 0), Double(h - 1))
                        } else if padding == "reflection" {
                            sx = reflect(sx, bounds.0, bounds.1); sy = reflect(sy, bounds.2, bounds.3)
                        }
                    }
                    var value: Double
                    switch mode {
                    case "nearest": value = pixel(Int(sy), Int(sx))
                    case "bilinear":
                        let x1 = Int(sx.rounded(.down)), y1 = Int(sy.rounded(.down))
                        let dx = sx - Double(x1), dy = sy - Double(y1)
                        value = (1 - dy) * ((1 - dx) * pixel(y1, x1) + dx * pixel(y1, x1 + 1)) + dy * ((1 - dx) * pixel(y1 + 1, x1) + dx * pixel(y1 + 1, x1 + 1))
                    default:
                        let x0 = Int(sx.rounded(.down)) - 1, y0 = Int(sy.rounded(.down)) - 1
                        let wx = cubicWeights(sx - Double(x0) - 1), wy = cubicWeights(sy - Double(y0) - 1)
                        value = 0
                        for r in 0..<4 { for col in 0..<4 { value += wy[r] * wx[col] * pixel(y0 + r, x0 + col) } }
                    }
                    y[(img * channels + ch) * oh * ow + p] = Float(value)
                }
            }
        }
    }

    private func denormalize(_ v: Double, _ length: Int) -> Double {
        alignCorners ? (v + 1) / 2 * Double(length - 1) : ((v + 1) * Double(length) - 1) / 2
    }

    /// Reflects `v` at the borders until it lies within them.
    private func reflect(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let range = hi - lo
        guard range > 0 else { return lo }
        if v < lo {
            let d = lo - v, k = Int(d / range), r = d - Double(k) * range
            return k % 2 == 0 ? lo + r : hi - r
        }
        if v > hi {
            let d = v - hi, k = Int(d / range), r = d - Double(k) * range
            return k % 2 == 0 ? hi - r : lo + r
        }
        return v
    }

    private func cubicWeights(_ t: Double) -> [Double] {
        let a = -0.75
        func near(_ d: Double) -> Double { ((a + 2) * d - (a + 3)) * d * d + 1 }
        func far(_ d: Double) -> Double { ((a * d - 5 * a) * d + 8 * a) * d - 4 * a }
        return [far(t + 1), near(t), near(1 - t), far(2 - t)]
    }
}
