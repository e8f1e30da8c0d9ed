import XCTest
import ZooStub

/// What sparse tags announce about pruning and quantization.
final class SparsificationTests: XCTestCase {
    func testPercentagesAndFlags() {
        let cases: [(String, Int?, Bool, Bool, Bool)] = [
            ("pruned95_quant-none-vnni", 95, true, true, true),
            ("pruned80.4block_quantized", 80, true, true, true),
            ("base-none", 0, false, false, false),
            ("base_quantized", 0, false, true, false),
            ("pruned-aggressive_96", nil, true, false, false),
            ("12layer_pruned80_quant-none-vnni", 80, true, true, true),
            ("channel20_pruned75_quant-none-vnni", 75, true, true, true),
            ("pruned50_quantW8A8", 50, true, true, false),
            ("quantW8A8", nil, false, true, false),
            ("pruned_3layers-aggressive_86", nil, true, false, false),
        ]
        for (tag, percent, pruned, quantized, block) in cases {
            let s = Sparsification(tag: tag)
            XCTAssertEqual(s.sparsityPercent, percent, tag)
            XCTAssertEqual(s.isPruned, pruned, tag)
            XCTAssertEqual(s.isQuantized, quantized, tag)
            XCTAssertEqual(s.isBlockStructured, block, tag)
        }
        XCTAssertEqual(Sparsification(tag: "pruned95_quant-none-vnni").labels, ["pruned95", "quant", "4block"])
    }
}
