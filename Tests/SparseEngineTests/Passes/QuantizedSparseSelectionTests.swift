import XCTest
@testable import SparseEngine

/// `QuantizedSparseSelection`: a quantized layer runs sparse when enough of its groups of 4 K values equal the
/// weight's zero point, whatever the share of zero weights alone; every examined layer records its weight sparsity.
final class QuantizedSparseSelectionTests: XCTestCase {
    /// A graph of one `QLinearConv` per weight (all [8, 8, 3, 3]), with the given zero point.
    private func graph(_ weights: [[UInt8]], type: DataType, zeroPoint: UInt8) throws -> Graph {
        var initializers: [String: Tensor] = [:]
        var nodes: [Node] = []
        for (i, raw) in weights.enumerated() {
            initializers["w\(i)"] = type == .int8 ? try Tensor(shape: [8, 8, 3, 3], scalars: raw.map { Int8(bitPattern: $0) })
                                                   : try Tensor(shape: [8, 8, 3, 3], scalars: raw)
            nodes.append(Node(opType: "QLinearConv", inputs: ["x", "xs", "xz", "w\(i)", "ws", "wz", "ys", "yz"], outputs: ["y\(i)"]))
        }
        initializers["wz"] = type == .int8 ? try Tensor(shape: [], scalars: [Int8(bitPattern: zeroPoint)]) : try Tensor(shape: [], scalars: [zeroPoint])
        return Graph(nodes: nodes, inputs: [], outputs: [], initializers: initializers)
    }

    /// [8, 8, 3, 3] weights where `keep(row, channel, tap)` decides which differ from `zero`.
    private func weights(zero: UInt8, _ keep: (Int, Int, Int) -> Bool) -> [UInt8] {
        (0..<576).map { i in keep(i / 72, (i / 9) % 8, i % 9) ? zero &+ UInt8(1 + i % 50) : zero }
    }

    func testChoosesLayersByZeroGroups() throws {
        for (type, zero) in [(DataType.int8, UInt8(0)), (.uint8, UInt8(128))] {
            // Blocks: 1 group of 4 channels in 8 kept (87.5 % zero groups and weights).
            let blocks = weights(zero: zero) { row, channel, tap in (row + tap) % 8 == channel / 4 * 4 % 8 && (row + tap) % 4 == 0 }
            // Unstructured: 1 weight in 4 kept, one in each group of 4 (75 % zero weights, no zero group).
            let scattered = weights(zero: zero) { _, channel, _ in channel % 4 == 0 }
            let dense = weights(zero: zero) { _, _, _ in true }
            var g = try graph([blocks, scattered, dense], type: type, zeroPoint: zero)
            let changed = try QuantizedSparseSelection().apply(to: &g, opsets: [:], context: KernelContext(pool: ThreadPool(threads: 1)))
            XCTAssertEqual(changed, 1, "\(type)")
            XCTAssertNotNil(g.nodes[0].attributes[QuantizedSparseSelection.attribute])
            XCTAssertNil(g.nodes[1].attributes[QuantizedSparseSelection.attribute])
            XCTAssertNil(g.nodes[2].attributes[QuantizedSparseSelection.attribute])
            guard case .float(let share)? = g.nodes[1].attributes[QuantizedSparseSelection.sparsityAttribute] else {
                return XCTFail("no weight sparsity recorded")
            }
            XCTAssertEqual(share, 0.75, accuracy: 1e-6)
            guard case .float(let none)? = g.nodes[2].attributes[QuantizedSparseSelection.sparsityAttribute] else {
                return XCTFail("no weight sparsity recorded")
            }
            XCTAssertEqual(none, 0)
        }
    }
}
