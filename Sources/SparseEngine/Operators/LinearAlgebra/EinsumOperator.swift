/// `Einsum` with explicit (`->`) or implicit output, repeated labels (diagonals) and `...`
/// broadcast dimensions. Every combination of labels is visited and products are summed in
/// double: simple and exact enough for the small contractions this operator sees outside
/// MatMul's reach.
struct EinsumOperator: Operator {
    let c: OpContext
    let inputTerms: [String]
    let outputTerm: String?

    init(_ c: OpContext) throws {
        self.c = c
        let equation = try c.string("equation", "").filter { !$0.isWhitespace }
        let sides = equation.components(separatedBy: "->")
        guard !equation.isEmpty, sides.count <= 2 else { throw c.error(.invalidModel, "equation '\(equation)' is not an einsum equation") }
        inputTerms = sides[0].components(separatedBy: ",")
        outputTerm = sides.count == 2 ? sides[1] : nil
    }

    /// Input labels with `...` expanded to per-dimension placeholder labels, and the output labels.
    private func labels(_ shapes: [[Int]]) throws -> (inputs: [[Character]], output: [Character], sizes: [Character: Int]) {
        guard shapes.count == inputTerms.count else { throw c.error(.invalidModel, "the equation has \(inputTerms.count) inputs, the node \(shapes.count)") }
        let placeholders = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var ellipsisRank = 0
        var inputs: [[Character]] = []
        for (term, shape) in zip(inputTerms, shapes) {
            let explicit = term.replacingOccurrences(of: "...", with: "").count
            let broadcast = term.contains("...") ? shape.count - explicit : 0
            guard broadcast >= 0, explicit + broadcast == shape.count else {
                throw c.error(.shapeMismatch, "term '\(term)' does not fit input shape \(shape)")
            }
            ellipsisRank = Swift.max(ellipsisRank, broadcast)
            let expanded = term.replacingOccurrences(of: "...", with: String(placeholders.suffix(broadcast)))
            inputs.append(Array(expanded))
        }
        var sizes: [Character: Int] = [:]
        for (term, shape) in zip(inputs, shapes) {
            for (label, size) in zip(term, shape) {
                if let known = sizes[label], known != size, known != 1, size != 1 {
                    throw c.error(.shapeMismatch, "label '\(label)' has sizes \(known) and \(size)")
                }
                sizes[label] = Swift.max(sizes[label] ?? 1, size)
            }
        }
        let ellipsis = Array(placeholders.suffix(ellipsisRank))
        let output: [Character]
        if let outputTerm {
            output = Array(outputTerm.replacingOccurrences(of: "...", with: String(ellipsis)))
        } else {
            let counts = inputs.joined().reduce(into: [Character: Int]()) { $0[$1, default: 0] += 1 }
            output = ellipsis + counts.filter { $0.value == 1 && $0.key.isLowercase }.keys.sorted()
        }
        guard output.allSatisfy({ sizes[$0] != nil }) else { throw c.error(.invalidModel, "the output names a label no input has") }
        return (inputs, output, sizes)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let specs = inputs.compactMap { $0 }
        guard let first = specs.first else { throw c.error(.invalidModel, "needs at least one input") }
        try c.check(first.dataType, in: numericTypes)
        let (_, output, sizes) = try labels(specs.map(\.shape))
        return [ValueSpec(first.dataType, output.map { sizes[$0]! })]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let xs = inputs.compactMap { $0 }
        let (terms, output, sizes) = try labels(xs.map(\.shape))
        let all = output + Set(terms.joined()).subtracting(output).sorted()
        let position = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
        let values = try xs.map { try $0.doubleValues() }
        // Per input, the stride of each label (0 where the input broadcasts it).
        let strides: [[Int]] = zip(terms, xs).map { term, x in
            let own = contiguousStrides(x.shape)
            var perLabel = [Int](repeating: 0, count: all.count)
            for (d, label) in term.enumerated() where x.shape[d] != 1 { perLabel[position[label]!] += own[d] }
            return perLabel
        }
        let outStrides = contiguousStrides(output.map { sizes[$0]! })
        var result = [Double](repeating: 0, count: outputs[0].count)
        forEachIndex(all.map { sizes[$0]! }) { index in
            var product = 1.0
            for k in xs.indices {
                var offset = 0
                for (l, i) in index.enumerated() { offset += strides[k][l] * i }
                product *= values[k][offset]
            }
            var o = 0
            for d in output.indices { o += index[d] * outStrides[d] }
            result[o] += product
        }
        try writeDoubles(result, to: outputs[0])
    }
}

/// `Det`: the determinant of each square matrix in the last two axes, by LU decomposition with
/// partial pivoting in double.
struct DeterminantOperator: Operator {
    let c: OpContext

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.float, .double])
        guard x.shape.count >= 2, x.shape[x.shape.count - 1] == x.shape[x.shape.count - 2] else {
            throw c.error(.shapeMismatch, "input \(x.shape) must end in square matrices")
        }
        return [ValueSpec(x.dataType, Array(x.shape.dropLast(2)))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, values = try x.doubleValues()
        let n = x.shape[x.rank - 1]
        let determinants = (0..<outputs[0].count).map { m -> Double in
            var a = Array(values[(m * n * n)..<((m + 1) * n * n)])
            var det = 1.0
            for col in 0..<n {
                let pivot = (col..<n).max { Swift.abs(a[$0 * n + col]) < Swift.abs(a[$1 * n + col]) }!
                if a[pivot * n + col] == 0 { return 0 }
                if pivot != col {
                    for j in 0..<n { a.swapAt(pivot * n + j, col * n + j) }
                    det = -det
                }
                det *= a[col * n + col]
                for row in (col + 1)..<n {
                    let factor = a[row * n + col] / a[col * n + col]
                    for j in col..<n { a[row * n + j] -= factor * a[col * n + j] }
                }
            }
            return det
        }
        try writeDoubles(determinants, to: outputs[0])
    }
}
