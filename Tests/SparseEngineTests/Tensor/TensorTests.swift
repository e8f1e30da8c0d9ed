import Foundation
import XCTest
@testable import SparseEngine

final class TensorTests: XCTestCase {
    func testScalarsRoundTripAndShapeChecks() throws {
        let t = try Tensor(shape: [2, 3], scalars: [Float](arrayLiteral: 1, 2, 3, 4, 5, 6))
        XCTAssertEqual(t.dataType, .float)
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t.byteCount, 24)
        XCTAssertEqual(try t.scalars(Float.self), [1, 2, 3, 4, 5, 6])
        XCTAssertThrowsError(try t.scalars(Int64.self)) { XCTAssertEqual(($0 as? EngineError)?.code, .invalidInput) }
        XCTAssertThrowsError(try Tensor(shape: [4], scalars: [Float(1)])) { XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch) }
        XCTAssertEqual(try t.reshaped([3, 2]).shape, [3, 2])
        XCTAssertThrowsError(try t.reshaped([4]))
        XCTAssertThrowsError(try Tensor(zeros: .string, shape: [1])) { XCTAssertEqual(($0 as? EngineError)?.code, .unsupportedDataType) }
    }

    func testDataTypeCodesMatchONNX() {
        XCTAssertEqual(DataType.float.rawValue, 1)
        XCTAssertEqual(DataType.int64.rawValue, 7)
        XCTAssertEqual(DataType.bool.rawValue, 9)
        XCTAssertEqual(DataType.float16.rawValue, 10)
        XCTAssertEqual(DataType.bfloat16.rawValue, 16)
        XCTAssertEqual(DataType.float4e2m1.rawValue, 23)
    }

    func testTensorProtoRoundTrip() throws {
        let t = Tensor.i64([2, 2], [1, -2, 3, 1 << 40])
        let data = t.tensorProtoData(name: "x")
        let back = try Tensor(tensorProto: data)
        XCTAssertEqual(back.shape, [2, 2])
        XCTAssertEqual(back.int64s, [1, -2, 3, 1 << 40])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-tensor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("input_0.pb")
        try Tensor.f([3], [0.5, -1, 2]).writeTensorProto(to: url)
        XCTAssertEqual(try Tensor(fromTensorProtoFile: url).floats, [0.5, -1, 2])
    }

    func testTensorProtoWithTypedFields() throws {
        // float_data (packed) and int32_data for a bool tensor, written by hand.
        var w = ProtoWriter()
        w.int(1, 3); w.int(2, 1); w.packedFloats(4, [1, 2, 3])
        XCTAssertEqual(try Tensor(tensorProto: Data(w.bytes)).floats, [1, 2, 3])
        var b = ProtoWriter()
        b.int(1, 2); b.int(2, 9); b.packedInts(5, [1, 0])
        XCTAssertEqual(try Tensor(tensorProto: Data(b.bytes)).bools, [true, false])
        var h = ProtoWriter()
        h.int(1, 2); h.int(2, 10); h.packedInts(5, [0x3C00, 0xC000])  // float16 1.0, -2.0
        let half = try Tensor(tensorProto: Data(h.bytes))
        XCTAssertEqual(try half.doubleValues(), [1, -2])
    }

    func testTensorProtoErrors() throws {
        XCTAssertThrowsError(try Tensor(tensorProto: Data([0x0A, 0xFF]))) { XCTAssertEqual(($0 as? EngineError)?.code, .invalidTensorFile) }
        var w = ProtoWriter()
        w.int(1, 4); w.int(2, 1); w.packedFloats(4, [1, 2, 3])
        XCTAssertThrowsError(try Tensor(tensorProto: Data(w.bytes))) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidTensorFile)
            XCTAssertTrue("\(error)".contains("3 values in float_data"), "\(error)")
        }
    }

    func testNpyRoundTripAndKnownBytes() throws {
        let t = Tensor.f([2, 2], [1, 2, 3, 4])
        let data = try t.npyData()
        XCTAssertEqual((data.count - 16) % 64, 0, "magic + header must be padded to a multiple of 64 bytes")
        XCTAssertEqual(data.last.map { _ in data[data.count - 17] }, UInt8(ascii: "\n"))
        let back = try Tensor(npy: data)
        XCTAssertEqual(back.shape, [2, 2])
        XCTAssertEqual(back.floats, [1, 2, 3, 4])
        // Hand-written v1.0 file: int64 scalar 7.
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (), }"
        header += String(repeating: " ", count: 128 - 10 - header.count - 1) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + Array(header.utf8)
        bytes += [7, 0, 0, 0, 0, 0, 0, 0]
        let scalar = try Tensor(npy: Data(bytes))
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.int64s, [7])
    }

    func testNpyErrors() {
        XCTAssertThrowsError(try Tensor(npy: Data("not numpy".utf8))) { XCTAssertEqual(($0 as? EngineError)?.code, .invalidTensorFile) }
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + Array(header.utf8) + [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try Tensor(npy: Data(bytes))) { XCTAssertTrue("\($0)".contains("needs 16"), "\($0)") }
    }

    func testHalfConversions() {
        XCTAssertEqual(halfToFloat(0x3C00), 1)
        XCTAssertEqual(halfToFloat(0x0001), Float(pow(2.0, -24.0)))
        XCTAssertEqual(floatToHalf(65504), 0x7BFF)
        XCTAssertEqual(floatToHalf(1e6), 0x7C00)
        XCTAssertEqual(floatToHalf(-0.5), 0xB800)
        for bits: UInt16 in [0x0000, 0x3555, 0x7BFF, 0x8001, 0xC000] { XCTAssertEqual(floatToHalf(halfToFloat(bits)), bits) }
    }
}

final class TensorReinterpretationTests: XCTestCase {
    func testBitcastKeepsBytesAndDoubleValuesReadEveryNumericType() throws {
        // 0x3FC0 is bfloat16 1.5; 0xC000 is −2.
        let bits = try Tensor(shape: [2], scalars: [UInt16(0x3FC0), 0xC000])
        let bfloat = try bits.bitcast(to: .bfloat16)
        XCTAssertEqual(bfloat.dataType, .bfloat16)
        XCTAssertEqual(try bfloat.doubleValues(), [1.5, -2])
        XCTAssertEqual(try bits.doubleValues(), [16320, 49152])
        XCTAssertEqual(try Tensor(shape: [1], scalars: [UInt64.max]).doubleValues(), [Double(UInt64.max)])
        XCTAssertThrowsError(try bits.bitcast(to: .float)) { XCTAssertEqual(($0 as? EngineError)?.code, .unsupportedDataType) }
    }
}
