import XCTest
@testable import SparseEngine

final class OperatorRegistryTests: XCTestCase {
    func testSupportsFollowsEachOperatorsOpsetRange() {
        XCTAssertTrue(OperatorRegistry.supports(opType: "Conv", opset: 13))
        XCTAssertTrue(OperatorRegistry.supports(opType: "Conv", domain: "ai.onnx", opset: 13))
        XCTAssertFalse(OperatorRegistry.supports(opType: "Conv", domain: "com.microsoft", opset: 13))
        XCTAssertFalse(OperatorRegistry.supports(opType: "NoSuchOp", opset: 13))
        // Operators exist from the version that introduced them.
        XCTAssertFalse(OperatorRegistry.supports(opType: "Gelu", opset: 19))
        XCTAssertTrue(OperatorRegistry.supports(opType: "Gelu", opset: 20))
        XCTAssertFalse(OperatorRegistry.supports(opType: "LayerNormalization", opset: 16))
        // Old versions whose meaning the engine covers, but not legacy-broadcast arithmetic.
        XCTAssertTrue(OperatorRegistry.supports(opType: "GlobalAveragePool", opset: 1))
        XCTAssertTrue(OperatorRegistry.supports(opType: "Relu", opset: 6))
        XCTAssertFalse(OperatorRegistry.supports(opType: "Relu", opset: 5))
        XCTAssertFalse(OperatorRegistry.supports(opType: "Add", opset: 6))
        // Removed operators stop at their last version.
        XCTAssertTrue(OperatorRegistry.supports(opType: "Upsample", opset: 9))
        XCTAssertFalse(OperatorRegistry.supports(opType: "Upsample", opset: 10))
        XCTAssertFalse(OperatorRegistry.supports(opType: "Conv", opset: OperatorRegistry.maximumOpset + 1))
    }

    func testMakeAgreesWithSupports() throws {
        for kind in OpKind.allCases {
            for opset in [1, 6, 7, 9, 10, 13, 18, OperatorRegistry.maximumOpset] {
                let node = Node(opType: kind.rawValue, inputs: ["x"], outputs: ["y"])
                do {
                    _ = try OperatorRegistry.make(node, opsets: ["": opset])
                } catch let error as EngineError where error.code == .unsupportedOperator {
                    XCTAssertFalse(OperatorRegistry.supports(opType: kind.rawValue, opset: opset), "\(kind) at opset \(opset): \(error)")
                } catch {
                    // Missing attributes are fine here: the operator itself was found.
                }
                if OperatorRegistry.supports(opType: kind.rawValue, opset: opset) { continue }
                XCTAssertThrowsError(try OperatorRegistry.make(node, opsets: ["": opset]), "\(kind) at opset \(opset)")
            }
        }
    }
}
