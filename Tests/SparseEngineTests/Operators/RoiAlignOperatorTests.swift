import XCTest
@testable import SparseEngine

/// RoiAlign against ONNX Runtime 1.23.2 beyond the conformance cases (opset 10's output_half_pixel with a fixed
/// sampling ratio and max, a region given backwards), and its refusals of malformed nodes and inputs.
final class RoiAlignOperatorTests: XCTestCase {
    private let rois = Tensor.f([3, 4], [0.5, 1, 4, 3.5, 2, 0, 5.5, 4.8, 3, 3, 2, 2])

    private func roiAlign(opset: Int, _ attributes: [String: TestAttribute], rois: Tensor? = nil, items: [Int] = [0, 0, 0]) throws -> Tensor {
        try runOp("RoiAlign", inputs: [("X", .f([1, 2, 5, 6], randomFloats(60, seed: 7))), ("rois", rois ?? self.rois),
                                       ("batch_indices", .i64([items.count], items))],
                  attributes: attributes, opset: opset)["y"]!
    }

    func testMaxWithSamplingRatioAtOpset10MatchesONNXRuntime() throws {
        let y = try roiAlign(opset: 10, ["mode": .string("max"), "output_height": .int(2), "output_width": .int(3),
                                         "sampling_ratio": .int(2), "spatial_scale": .float(0.8)])
        XCTAssertEqual(y.shape, [3, 2, 2, 3])
        assertClose(y.floats, [0.145855, 0.427049, 0.359916, 0.251932, 0.73763, 0.621673, 0.690347, 0.35612, 0.1842, 0.20042, 0.615116, 0.318164, 0.294517, 0.228361, 0.393806, 0.401613, 0.311401, 0.121852, 0.2456, 0.068768, 0.172233, 0.334909, 0.263339, 0.317352, 0.209011, 0.316196, 0.273322, -0.00364047, -0.000382051, 0.0574769, 0.164384, 0.05833, 0.146032, 0.17055, 0.258012, 0.223027])
    }

    func testAverageWithHalfPixelAtOpset16MatchesONNXRuntime() throws {
        let y = try roiAlign(opset: 16, ["output_height": .int(2), "output_width": .int(3), "spatial_scale": .float(0.8)])
        assertClose(y.floats, [-0.147649, -0.102943, -0.112416, 0.427063, 0.373074, 0.624213, 0.235286, 0.294503, -0.419357, -0.00948833, -0.0144707, 0.11733, -0.393438, -0.290933, 0.148991, 0.155375, 0.310869, 0.0211957, 0.0813185, -0.189508, -0.0939827, 0.134525, -0.30387, -0.333273, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// Malformed nodes and inputs give an `EngineError` with the given code, naming the node.
    private func assertRefused(opset: Int = 16, _ attributes: [String: TestAttribute] = [:], rois: Tensor? = nil, items: [Int] = [0, 0, 0],
                               _ code: EngineError.Code, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try roiAlign(opset: opset, attributes, rois: rois, items: items), file: file, line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains("node0"), "\(error)", file: file, line: line)
        }
    }

    func testMalformedRoiAlignIsRefused() {
        assertRefused(["mode": .string("median")], .unsupportedAttribute)
        assertRefused(["coordinate_transformation_mode": .string("asymmetric")], .unsupportedAttribute)
        assertRefused(["output_height": .int(0)], .invalidModel)
        assertRefused(["sampling_ratio": .int(-1)], .invalidModel)
        assertRefused(rois: .f([3, 3], Array(repeating: 1, count: 9)), .shapeMismatch)
        assertRefused(items: [0, 0], .shapeMismatch)
        assertRefused(items: [0, 1, 0], .invalidInput)
        assertRefused(rois: .f([3, 4], [0, 0, .nan, 1, 0, 0, 1, 1, 0, 0, 1, 1]), .invalidInput)
    }
}
