import Foundation
import XCTest
@testable import SparseEngine

final class ONNXModelTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func matMulModel() -> TestModel {
        var m = TestModel()
        m.nodes = [TestNode("MatMul", ["x", "w"], ["y"], name: "mm")]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 2])]
        m.outputs = [.init(name: "y", type: .float, dims: [1, 2])]
        m.initializers = [("w", .f([2, 2], [1, 2, 3, 4]))]
        return m
    }

    func testLoadsFileWithMetadataAndBorrowedWeights() throws {
        let url = dir.appendingPathComponent("model.onnx")
        try matMulModel().data().write(to: url)
        let model = try ONNXModel(contentsOf: url)
        XCTAssertEqual(model.irVersion, 8)
        XCTAssertEqual(model.producerName, "zoo-tests")
        XCTAssertEqual(model.opset, 13)
        XCTAssertEqual(model.graph.nodes.map(\.opType), ["MatMul"])
        XCTAssertEqual(model.graph.initializers["w"]?.floats, [1, 2, 3, 4])
        XCTAssertEqual(model.graph.inputs.map(\.name), ["x"])
        // The weight is borrowed from the decoded message, not owned by the tensor.
        let w = model.graph.initializers["w"]!
        XCTAssertTrue(w.storage.isBorrowed)
        let out = try InferenceSession(model: model).run(["x": .f([1, 2], [1, 1])])
        XCTAssertEqual(out["y"]!.floats, [4, 6])
    }

    func testTruncatedFileIsMalformed() throws {
        let data = matMulModel().data()
        let url = dir.appendingPathComponent("truncated.onnx")
        try data.prefix(data.count - 7).write(to: url)
        XCTAssertThrowsError(try ONNXModel(contentsOf: url)) { error in
            XCTAssertEqual((error as? EngineError)?.code, .malformedModel)
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
            XCTAssertTrue("\(error)".contains("truncated or corrupt"), "\(error)")
        }
    }

    func testGarbageAndEmptyFiles() throws {
        let garbage = dir.appendingPathComponent("garbage.onnx")
        try Data((0..<256).map { UInt8(($0 * 37 + 11) % 256) }).write(to: garbage)
        XCTAssertThrowsError(try ONNXModel(contentsOf: garbage)) { XCTAssertEqual(($0 as? EngineError)?.code, .malformedModel) }
        let text = dir.appendingPathComponent("readme.onnx")
        try Data("hello, this is not a model".utf8).write(to: text)
        XCTAssertThrowsError(try ONNXModel(contentsOf: text)) { XCTAssertEqual(($0 as? EngineError)?.code, .malformedModel) }
        let empty = dir.appendingPathComponent("empty.onnx")
        try Data().write(to: empty)
        XCTAssertThrowsError(try ONNXModel(contentsOf: empty)) { XCTAssertTrue("\($0)".contains("is empty"), "\($0)") }
        XCTAssertThrowsError(try ONNXModel(contentsOf: dir.appendingPathComponent("missing.onnx"))) {
            XCTAssertEqual(($0 as? EngineError)?.code, .io)
        }
    }

    func testRawDataSizeMismatch() throws {
        var w = ProtoWriter()
        w.int(1, 8)
        w.message(8) { $0.int(2, 13) }
        w.message(7) { g in
            g.message(5) { t in t.int(1, 3); t.int(2, 1); t.string(8, "w"); t.bytes(9, [0, 0, 0, 0]) }
        }
        XCTAssertThrowsError(try ONNXModel(data: Data(w.bytes))) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidModel)
            XCTAssertTrue("\(error)".contains("tensor 'w' has 4 bytes of raw_data, but float[3] needs 12"), "\(error)")
        }
    }

    private func externalModel(location: String, offset: Int = 0) -> TestModel {
        var m = matMulModel()
        m.initializers = []
        m.externals = [(name: "w", location: location, offset: offset, tensor: .f([2, 2], [1, 2, 3, 4]))]
        return m
    }

    func testExternalDataIsMappedFromModelDirectory() throws {
        var blob = Data(count: 64)  // the tensor starts at a 64-byte boundary
        Tensor.f([2, 2], [1, 2, 3, 4]).withUnsafeBytes { blob.append(contentsOf: $0) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try blob.write(to: dir.appendingPathComponent("data/weights.bin"))
        let url = dir.appendingPathComponent("model.onnx")
        try externalModel(location: "data/weights.bin", offset: 64).data().write(to: url)
        let model = try ONNXModel(contentsOf: url)
        XCTAssertEqual(model.graph.initializers["w"]?.floats, [1, 2, 3, 4])
        XCTAssertTrue(model.graph.initializers["w"]!.storage.isBorrowed, "aligned external data is used in place")
        XCTAssertEqual(try InferenceSession(model: model).run(["x": .f([1, 2], [1, 0])])["y"]!.floats, [1, 2])
    }

    func testExternalDataMustStayInsideModelDirectory() throws {
        let inner = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        var blob = Data()
        Tensor.f([2, 2], [1, 2, 3, 4]).withUnsafeBytes { blob.append(contentsOf: $0) }
        try blob.write(to: dir.appendingPathComponent("outside.bin"))
        for location in ["../outside.bin", "sub/../../outside.bin", dir.appendingPathComponent("outside.bin").path] {
            let url = inner.appendingPathComponent("model.onnx")
            try externalModel(location: location).data().write(to: url)
            XCTAssertThrowsError(try ONNXModel(contentsOf: url), location) { error in
                XCTAssertEqual((error as? EngineError)?.code, .externalData)
                XCTAssertTrue("\(error)".contains("outside the model directory"), "\(error)")
            }
        }
        // A symlink inside the directory that points outside is refused too.
        try FileManager.default.createSymbolicLink(at: inner.appendingPathComponent("link.bin"), withDestinationURL: dir.appendingPathComponent("outside.bin"))
        try externalModel(location: "link.bin").data().write(to: inner.appendingPathComponent("model.onnx"))
        XCTAssertThrowsError(try ONNXModel(contentsOf: inner.appendingPathComponent("model.onnx"))) {
            XCTAssertTrue("\($0)".contains("outside the model directory"), "\($0)")
        }
    }

    func testExternalDataMissingOrShort() throws {
        let url = dir.appendingPathComponent("model.onnx")
        try externalModel(location: "nope.bin").data().write(to: url)
        XCTAssertThrowsError(try ONNXModel(contentsOf: url)) { error in
            XCTAssertEqual((error as? EngineError)?.code, .externalData)
            XCTAssertTrue("\(error)".contains("'nope.bin'") && "\(error)".contains("not found"), "\(error)")
        }
        try Data(count: 8).write(to: dir.appendingPathComponent("short.bin"))
        try externalModel(location: "short.bin").data().write(to: url)
        XCTAssertThrowsError(try ONNXModel(contentsOf: url)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        // From memory there is no directory to resolve against.
        XCTAssertThrowsError(try ONNXModel(data: externalModel(location: "w.bin").data())) {
            XCTAssertEqual(($0 as? EngineError)?.code, .externalData)
        }
    }
}
