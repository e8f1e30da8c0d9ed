/// The 1-D and 2-D form of a `SpatialWindow`, lifted to 2-D (1-D operators use height 1), for
/// the direct loops of Conv, ConvTranspose and the pools.
struct ConvGeometry: Hashable {
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

    /// Lifts a 1-D or 2-D window to this 2-D form.
    init(_ w: SpatialWindow) {
        self.init(spatial: w.input, kernel: w.kernel, strides: w.strides, dilations: w.dilations,
                  pads: w.padsBegin + w.padsEnd, out: w.output)
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
}

extension OpContext {
    /// Checks that the optional bias input (index 2) of a convolution is a vector of `outputChannels`.
    func checkBias(_ inputs: [ValueSpec?], outputChannels m: Int) throws {
        if inputs.count > 2, let b = inputs[2], b.shape != [m] {
            throw error(.shapeMismatch, "bias shape \(b.shape) must be [\(m)]")
        }
    }
}
