/// The sliding-window geometry of Conv, ConvTranspose and the pools over any number of
/// spatial axes: input, kernel, strides, dilations, pads and the output size per axis.
struct SpatialWindow: Equatable {
    var input: [Int]
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var output: [Int]

    var rank: Int { input.count }

    /// Forward (Conv/pool) geometry: output sizes from pads, `auto_pad` and `ceil_mode`.
    init(spatial: [Int], kernel: [Int], attributes a: ConvGeometry.Attributes, c: OpContext) throws {
        let r = spatial.count
        guard r >= 1 else { throw c.error(.shapeMismatch, "the input has no spatial dimensions") }
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
        self.init(input: spatial, kernel: kernel, strides: strides, dilations: dilations,
                  padsBegin: Array(pads[..<r]), padsEnd: Array(pads[r...]), output: out)
    }

    init(input: [Int], kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], output: [Int]) {
        self.input = input
        self.kernel = kernel
        self.strides = strides
        self.dilations = dilations
        self.padsBegin = padsBegin
        self.padsEnd = padsEnd
        self.output = output
    }

    /// Elements in one input plane, one output plane, one kernel.
    var inputCount: Int { input.reduce(1, *) }
    var outputCount: Int { output.reduce(1, *) }
    var kernelCount: Int { kernel.reduce(1, *) }

    /// For every kernel offset (row-major) and output position (row-major), the input element
    /// the window reads there, or -1 where it reads padding: `[kernelCount][outputCount]`.
    func sourceTable() -> [[Int]] {
        let inStrides = contiguousStrides(input)
        var table: [[Int]] = []
        table.reserveCapacity(kernelCount)
        forEachIndex(kernel) { k in
            var row = [Int](repeating: -1, count: outputCount)
            var p = 0
            forEachIndex(output) { o in
                var offset = 0
                for d in 0..<rank {
                    let i = o[d] * strides[d] - padsBegin[d] + k[d] * dilations[d]
                    if i < 0 || i >= input[d] { offset = -1; break }
                    offset += i * inStrides[d]
                }
                row[p] = offset
                p += 1
            }
            table.append(row)
        }
        return table
    }
}

extension SpatialWindow {
    /// The transposed direction (ConvTranspose, whose input is `input` and output `output`):
    /// for every kernel offset and input position (row-major), the output element it adds to,
    /// or -1 where that falls outside the output: `[kernelCount][inputCount]`.
    func scatterTable() -> [[Int]] {
        let outStrides = contiguousStrides(output)
        var table: [[Int]] = []
        table.reserveCapacity(kernelCount)
        forEachIndex(kernel) { k in
            var row = [Int](repeating: -1, count: inputCount)
            var p = 0
            forEachIndex(input) { i in
                var offset = 0
                for d in 0..<rank {
                    let o = i[d] * strides[d] - padsBegin[d] + k[d] * dilations[d]
                    if o < 0 || o >= output[d] { offset = -1; break }
                    offset += o * outStrides[d]
                }
                row[p] = offset
                p += 1
            }
            table.append(row)
        }
        return table
    }
}

/// Calls `body` with every multi-index of `shape` in row-major order.
func forEachIndex(_ shape: [Int], _ body: ([Int]) -> Void) {
    if shape.contains(0) { return }
    var index = [Int](repeating: 0, count: shape.count)
    while true {
        body(index)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}
