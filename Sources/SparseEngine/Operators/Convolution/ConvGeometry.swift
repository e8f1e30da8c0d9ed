/// Spatial geometry shared by Conv, ConvTranspose and the pools, lifted to 2-D
/// (1-D operators use height 1).
struct ConvGeometry: Equatable {
    var inH = 1, inW = 1
    var kH = 1, kW = 1
    var strideH = 1, strideW = 1
    var dilationH = 1, dilationW = 1
    var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    var outH = 1, outW = 1

    /// The spatial attributes of a node, before the input shape is known.
    struct Attributes {
        var kernelShape: [Int]?
        var strides: [Int]?
        var dilations: [Int]?
        var pads: [Int]?
        var autoPad: String
        var ceilMode: Bool

        init(_ c: OpContext) throws {
            kernelShape = try c.ints("kernel_shape")
            strides = try c.ints("strides")
            dilations = try c.ints("dilations")
            pads = try c.ints("pads")
            autoPad = try c.string("auto_pad", "NOTSET")
            ceilMode = try c.int("ceil_mode", 0) != 0
            guard ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"].contains(autoPad) else {
                throw c.error(.invalidModel, "auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
            }
        }
    }

    /// Forward (Conv/pool) geometry for `spatial` input dims and `kernel` dims (rank 1 or 2).
    init(spatial: [Int], kernel: [Int], attributes a: Attributes, c: OpContext) throws {
        let r = spatial.count
        guard r == 1 || r == 2 else {
            throw c.error(.unsupportedAttribute, "\(r)-D spatial input is not supported (only 1-D and 2-D)")
        }
        guard kernel.count == r else {
            throw c.error(.shapeMismatch, "kernel has \(kernel.count) spatial dims but the input has \(r)")
        }
        let strides = a.strides ?? [Int](repeating: 1, count: r)
        let dilations = a.dilations ?? [Int](repeating: 1, count: r)
        var pads = a.pads ?? [Int](repeating: 0, count: 2 * r)
        guard strides.count == r, dilations.count == r, pads.count == 2 * r,
              strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }), kernel.allSatisfy({ $0 > 0 }) else {
            throw c.error(.invalidModel, "strides \(strides), dilations \(dilations), pads \(pads) or kernel \(kernel) do not fit a \(r)-D input")
        }
        var out = [Int](repeating: 0, count: r)
        for i in 0..<r {
            let ek = (kernel[i] - 1) * dilations[i] + 1
            switch a.autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                out[i] = (spatial[i] + strides[i] - 1) / strides[i]
                let total = max(0, (out[i] - 1) * strides[i] + ek - spatial[i])
                let small = total / 2
                pads[i] = a.autoPad == "SAME_UPPER" ? small : total - small
                pads[i + r] = total - pads[i]
            case "VALID":
                pads[i] = 0; pads[i + r] = 0
                out[i] = spatial[i] >= ek ? (spatial[i] - ek) / strides[i] + 1 : 0
            default:
                let span = spatial[i] + pads[i] + pads[i + r] - ek
                guard span >= 0 else {
                    throw c.error(.shapeMismatch, "kernel \(kernel) (dilated) is larger than the padded input \(spatial)")
                }
                if a.ceilMode {
                    out[i] = (span + strides[i] - 1) / strides[i] + 1
                    // The last window must start inside the input or the leading padding.
                    if (out[i] - 1) * strides[i] >= spatial[i] + pads[i] { out[i] -= 1 }
                } else {
                    out[i] = span / strides[i] + 1
                }
            }
        }
        self.init(spatial: spatial, kernel: kernel, strides: strides, dilations: dilations, pads: pads, out: out)
    }

    init(spatial: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int], out: [Int]) {
        let r = spatial.count
        if r == 2 {
            inH = spatial[0]; inW = spatial[1]; kH = kernel[0]; kW = kernel[1]
            strideH = strides[0]; strideW = strides[1]; dilationH = dilations[0]; dilationW = dilations[1]
            padTop = pads[0]; padLeft = pads[1]; padBottom = pads[2]; padRight = pads[3]
            outH = out[0]; outW = out[1]
        } else {
            inW = spatial[0]; kW = kernel[0]; strideW = strides[0]; dilationW = dilations[0]
            padLeft = pads[0]; padRight = pads[1]; outW = out[0]
        }
    }

    /// Output spatial dims in the operator's own rank.
    func outputSpatial(rank: Int) -> [Int] { rank == 2 ? [outH, outW] : [outW] }
}

/// Unfolds one image `[channels, inH, inW]` into columns `[channels·kH·kW, outH·outW]`.
func im2col(_ src: UnsafePointer<Float>, channels: Int, _ g: ConvGeometry, _ dst: UnsafeMutablePointer<Float>, pool: ThreadPool) {
    let plane = g.outH * g.outW
    pool.parallelFor(channels) { ch, _ in
        let s = src + ch * g.inH * g.inW
        for ki in 0..<g.kH {
            for kj in 0..<g.kW {
                let row = dst + ((ch * g.kH + ki) * g.kW + kj) * plane
                for oy in 0..<g.outH {
                    let iy = oy * g.strideH - g.padTop + ki * g.dilationH
                    let d = row + oy * g.outW
                    if iy < 0 || iy >= g.inH {
                        d.update(repeating: 0, count: g.outW)
                        continue
                    }
                    let srow = s + iy * g.inW
                    let x0 = kj * g.dilationW - g.padLeft
                    if g.strideW == 1 {
                        // Valid ox range: 0 <= ox + x0 < inW.
                        let lo = min(max(0, -x0), g.outW), hi = max(lo, min(g.outW, g.inW - x0))
                        if lo > 0 { d.update(repeating: 0, count: lo) }
                        if hi > lo { (d + lo).update(from: srow + lo + x0, count: hi - lo) }
                        if hi < g.outW { (d + hi).update(repeating: 0, count: g.outW - hi) }
                    } else {
                        for ox in 0..<g.outW {
                            let ix = ox * g.strideW + x0
                            d[ox] = ix >= 0 && ix < g.inW ? srow[ix] : 0
                        }
                    }
                }
            }
        }
    }
}

extension OpContext {
    /// Checks that the optional bias input (index 2) of a convolution is a vector of `outputChannels`.
    func checkBias(_ inputs: [ValueSpec?], outputChannels m: Int) throws {
        if inputs.count > 2, let b = inputs[2], b.shape != [m] {
            throw error(.shapeMismatch, "bias shape \(b.shape) must be [\(m)]")
        }
    }
}
