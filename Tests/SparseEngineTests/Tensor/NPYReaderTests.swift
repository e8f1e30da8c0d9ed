import Foundation
import XCTest
@testable import SparseEngine

/// `Tensor(npy:)` on files written byte by byte here from the format's documentation (magic, version,
/// little-endian header length, a Python dict literal, the raw elements), not by the code under test.
final class NPYReaderTests: XCTestCase {
    /// A `.npy` file: `version` selects the 2-byte (1.0) or 4-byte (2.0, 3.0) header length.
    private func npy(_ header: String, _ payload: [UInt8], version: UInt8 = 1, encoding: String.Encoding = .isoLatin1) -> Data {
        let text = header + "\n"
        let headerBytes = [UInt8](text.data(using: encoding)!)
        let length = headerBytes.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)] : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0]
        return Data(bytes + headerBytes + payload)
    }

    private func header(_ descr: String, _ shape: String, fortran: Bool = false) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    }

    private func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }
    private func bigEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } }

    private func assertRejected(_ data: Data, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Tensor(npy: data, source: "sample.npy"), file: file, line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidTensorFile, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains("'sample.npy' is not a readable .npy file"), "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(fragment), "expected '\(fragment)' in: \(error)", file: file, line: line)
        }
    }

    func testEveryNumericAndBoolDtypeInBothByteOrders() throws {
        let cases: [(descr: String, type: DataType, payload: [UInt8], values: [Double])] = [
            ("<f2", .float16, littleEndian([UInt16(0x3C00), 0xC000]), [1, -2]),
            (">f2", .float16, bigEndian([UInt16(0x3C00), 0xC000]), [1, -2]),
            ("<f4", .float, littleEndian([Float(1.5).bitPattern, Float(-0.25).bitPattern]), [1.5, -0.25]),
            (">f4", .float, bigEndian([Float(1.5).bitPattern, Float(-0.25).bitPattern]), [1.5, -0.25]),
            ("<f8", .double, littleEndian([Double(3.25).bitPattern, Double(-1e300).bitPattern]), [3.25, -1e300]),
            (">f8", .double, bigEndian([Double(3.25).bitPattern, Double(-1e300).bitPattern]), [3.25, -1e300]),
            ("|i1", .int8, [0x7F, 0x80], [127, -128]),
            ("<i2", .int16, littleEndian([Int16(-300), 300]), [-300, 300]),
            (">i2", .int16, bigEndian([Int16(-300), 300]), [-300, 300]),
            ("<i4", .int32, littleEndian([Int32(-70000), 70000]), [-70000, 70000]),
            ("=i4", .int32, littleEndian([Int32(5), -6]), [5, -6]),
            ("<i8", .int64, littleEndian([Int64(-5_000_000_000), 7]), [-5_000_000_000, 7]),
            (">i8", .int64, bigEndian([Int64(-5_000_000_000), 7]), [-5_000_000_000, 7]),
            ("|u1", .uint8, [0, 255], [0, 255]),
            ("<u2", .uint16, littleEndian([UInt16(65535), 1]), [65535, 1]),
            ("<u4", .uint32, littleEndian([UInt32(4_000_000_000), 2]), [4_000_000_000, 2]),
            (">u4", .uint32, bigEndian([UInt32(4_000_000_000), 2]), [4_000_000_000, 2]),
            ("<u8", .uint64, littleEndian([UInt64(1) << 40, 3]), [Double(UInt64(1) << 40), 3]),
            ("|b1", .bool, [1, 0], [1, 0]),
            ("?", .bool, [0, 1], [0, 1]),
        ]
        for c in cases {
            let tensor = try Tensor(npy: npy(header(c.descr, "(2,)"), c.payload))
            XCTAssertEqual(tensor.dataType, c.type, c.descr)
            XCTAssertEqual(tensor.shape, [2], c.descr)
            XCTAssertEqual(try tensor.doubleValues(), c.values, c.descr)
        }
    }

    func testFortranOrderIsRearrangedToRowMajor() throws {
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        let matrix = try Tensor(npy: npy(header("<i4", "(2, 3)", fortran: true), littleEndian([Int32(1), 4, 2, 5, 3, 6])))
        XCTAssertEqual(matrix.shape, [2, 3])
        XCTAssertEqual(try matrix.scalars(Int32.self), [1, 2, 3, 4, 5, 6])

        // A 2×3×4 float64 array with a[i][j][k] = 100i + 10j + k: in Fortran order element (i, j, k) is at i + 2j + 6k.
        var stored = [Double](repeating: 0, count: 24)
        var rowMajor: [Double] = []
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    stored[i + 2 * j + 6 * k] = Double(100 * i + 10 * j + k)
                    rowMajor.append(Double(100 * i + 10 * j + k))
                }
            }
        }
        let cube = try Tensor(npy: npy(header("<f8", "(2, 3, 4)", fortran: true), littleEndian(stored.map(\.bitPattern))))
        XCTAssertEqual(cube.shape, [2, 3, 4])
        XCTAssertEqual(try cube.scalars(Double.self), rowMajor)

        // Big-endian and Fortran order together.
        let swapped = try Tensor(npy: npy(header(">i2", "(2, 2)", fortran: true), bigEndian([Int16(1), 3, 2, -4])))
        XCTAssertEqual(try swapped.scalars(Int16.self), [1, 2, 3, -4])
    }

    func testFormatVersionsHeaderSpellingsAndShapes() throws {
        let values = littleEndian([Float(1).bitPattern, Float(2).bitPattern])
        for version: UInt8 in [2, 3] {
            let tensor = try Tensor(npy: npy(header("<f4", "(1, 2)"), values, version: version, encoding: version == 3 ? .utf8 : .isoLatin1))
            XCTAssertEqual(tensor.shape, [1, 2], "version \(version)")
            XCTAssertEqual(try tensor.scalars(Float.self), [1, 2])
        }
        // Keys in another order, double quotes, no trailing comma, Python 2 long literals.
        let respelled = try Tensor(npy: npy(#"{"shape": (2L,) , "fortran_order": False, "descr": "<f4"}"#, values))
        XCTAssertEqual(respelled.shape, [2])
        XCTAssertEqual(try respelled.scalars(Float.self), [1, 2])

        let scalar = try Tensor(npy: npy(header("<i8", "()"), littleEndian([Int64(-9)])))
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(try scalar.scalars(Int64.self), [-9])
        let empty = try Tensor(npy: npy(header("<f4", "(0, 3)"), []))
        XCTAssertEqual(empty.shape, [0, 3])
        XCTAssertEqual(empty.count, 0)
    }

    func testTruncatedFilesAndBadMagic() {
        let good = npy(header("<f4", "(2,)"), littleEndian([Float(1).bitPattern, Float(2).bitPattern]))
        assertRejected(Data(), "magic")
        assertRejected(Data("PK\u{3}\u{4} a zip, not an npy".utf8), "magic")
        var wrongMagic = good
        wrongMagic[5] = UInt8(ascii: "X")
        assertRejected(wrongMagic, "\\x93NUMPY magic")
        assertRejected(good.prefix(8), "ends inside its header")
        assertRejected(good.prefix(40), "the header claims")
        assertRejected(good.dropLast(3), "has 5 data bytes but <f4 (2,) needs 8 (the file is truncated)")
        assertRejected(good + Data([0, 0, 0, 0]), "has 12 data bytes but <f4 (2,) needs 8")
        var version4 = good
        version4[6] = 4
        assertRejected(version4, "format version 4.0 is not one of 1.0, 2.0, 3.0")
        var version11 = good
        version11[7] = 1
        assertRejected(version11, "format version 1.1")
    }

    func testMalformedHeaderDicts() {
        let payload = [UInt8](repeating: 0, count: 8)
        let cases: [(String, String)] = [
            ("descr: <f4, shape: (2,)", "not a Python dict literal"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "not a Python dict literal"),
            ("{'descr': '<f4', 'fortran_order': False}", "lacks shape"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "has unexpected keys extra"),
            ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "key 'descr' appears twice"),
            ("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,)}", "fortran_order in the header is not True or False"),
            ("{'descr': '<f4', 'fortran_order': Flase, 'shape': (2,)}", "unexpected 'Flase'"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "shape in the header is not a tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': 2}", "shape in the header is not a tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "one-element tuple needs a trailing comma"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'a')}", "expected a value"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "negative dimension"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "is not an integer that fits in 64 bits"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing", "text follows the closing brace"),
            ("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", "descr in the header is not a dtype string"),
            ("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "not a Python dict literal"),
        ]
        for (text, fragment) in cases { assertRejected(npy(text, payload), fragment) }
        // Version 3.0 headers are UTF-8; these bytes are not.
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [3, 0, 4, 0, 0, 0] + [0x7B, 0xFF, 0xFE, 0x7D]
        bytes += payload
        assertRejected(Data(bytes), "not UTF-8 text")
        // Dimensions whose product overflows.
        assertRejected(npy(header("<f8", "(4611686018427387904, 4)"), payload), "too large to address")
    }

    func testUnsupportedDtypesAreNamed() {
        let payload = [UInt8](repeating: 0, count: 32)
        let cases: [(String, String)] = [
            ("<c8", "complex numbers"), ("<U4", "strings"), ("|S4", "strings"), ("|O", "Python objects"),
            ("<M8[ns]", "not a NumPy dtype string"), ("<m8", "dates or time spans"), ("<f16", "a float of that size"),
            ("<i3", "an integer of that size"), ("|V4", "raw void records"), ("", "is empty"),
        ]
        for (descr, fragment) in cases {
            assertRejected(npy(header(descr, "(2,)"), payload), fragment)
        }
        assertRejected(npy("{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (2,)}", payload), "structured (record) dtype")
    }

    func testWriterOutputReadsBackForEveryDtype() throws {
        let tensors: [Tensor] = [
            try Tensor(shape: [2, 2], scalars: [Float(1), 2, 3, 4]), try Tensor(shape: [3], scalars: [Int64(-1), 0, 1]),
            try Tensor(shape: [2], scalars: [true, false]), try Tensor(shape: [1, 2], scalars: [UInt8(7), 250]),
            try Tensor(shape: [], scalars: [Double(2.5)]),
        ]
        for tensor in tensors {
            let data = try tensor.npyData()
            XCTAssertEqual((data.count - tensor.byteCount) % 64, 0, "header padded to 64 bytes for \(tensor)")
            let back = try Tensor(npy: data)
            XCTAssertEqual(back.dataType, tensor.dataType)
            XCTAssertEqual(back.shape, tensor.shape)
            XCTAssertEqual(try back.doubleValues(), try tensor.doubleValues())
        }
    }
}
