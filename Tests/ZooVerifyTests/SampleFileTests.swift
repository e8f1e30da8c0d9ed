import Foundation
import SparseEngine
import XCTest
import ZooTestSupport
@testable import ZooVerify

/// `SampleFile`: `.npz` files written with Python's zipfile (as numpy.savez does) read through libarchive,
/// and the malformed ones refused with the file and the fault named.
final class SampleFileTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUp() { directory = TemporaryDirectory() }
    override func tearDown() { directory = nil }

    private func npz(_ name: String, _ members: [(String, Data)], compressed: Bool = true) throws -> URL {
        let path = directory.path(name)
        try NumpyFiles.writeNPZ(members.map { (name: $0.0, npy: $0.1) }, to: path, compressed: compressed)
        return URL(fileURLWithPath: path)
    }

    private func assertMalformed(_ url: URL, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SampleFile(url: url), file: file, line: line) { error in
            let sampleError = error as? SampleDataError
            XCTAssertEqual(sampleError?.code, .malformedFile, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(url.path), "the message names the file: \(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(fragment), "expected '\(fragment)' in: \(error)", file: file, line: line)
        }
    }

    func testReadsNamedArraysInZipOrderStoredOrDeflated() throws {
        for compressed in [true, false] {
            let url = try npz("inp-\(compressed).npz", [("input_ids", NumpyFiles.npy(shape: [2], int64: [101, 2054])),
                                                        ("attention_mask", NumpyFiles.npy(shape: [2, 1], float32: [1, 0.5]))],
                              compressed: compressed)
            let file = try SampleFile(url: url)
            XCTAssertEqual(file.name, "inp-\(compressed).npz")
            XCTAssertEqual(file.arrays.map(\.name), ["input_ids", "attention_mask"], "zip order, not sorted")
            XCTAssertEqual(try file.arrays[0].tensor.scalars(Int64.self), [101, 2054])
            XCTAssertEqual(file.arrays[1].tensor.shape, [2, 1])
            XCTAssertEqual(try file.arrays[1].tensor.scalars(Float.self), [1, 0.5])
        }
    }

    func testCorruptAndTruncatedZipsAreRefused() throws {
        let garbage = URL(fileURLWithPath: directory.path("garbage.npz"))
        try Data("this is not a zip file at all, just some text that goes on".utf8).write(to: garbage)
        assertMalformed(garbage, "is not a readable .npz file")

        let whole = try npz("whole.npz", [("x", NumpyFiles.npy(shape: [64], float32: (0..<64).map(Float.init)))], compressed: false)
        let bytes = try Data(contentsOf: whole)
        let truncated = URL(fileURLWithPath: directory.path("truncated.npz"))
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        assertMalformed(truncated, "is not a readable .npz file")

        let missing = URL(fileURLWithPath: directory.path("missing.npz"))
        assertMalformed(missing, "is not a readable .npz file")
    }

    func testMembersMustBeDistinctNpyArrays() throws {
        assertMalformed(try npz("empty.npz", []), "holds no arrays")
        // writeNPZ appends ".npy"; a member named "notes.txt.npy" is fine, so write a non-.npy member by hand.
        let text = directory.path("text.npz")
        let script = "import zipfile, sys\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('notes.txt', 'hello')"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, text]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        assertMalformed(URL(fileURLWithPath: text), "member 'notes.txt' that is not a .npy array")
    }

    func testMalformedNpyMembersAreNamed() throws {
        let good = NumpyFiles.npy(shape: [4], float32: [1, 2, 3, 4])
        let truncated = try npz("truncated-member.npz", [("a", good), ("b", good.prefix(good.count - 4))])
        assertMalformed(truncated, "member b.npy")
        assertMalformed(truncated, "needs 16 (the file is truncated)")

        var badMagic = good
        badMagic[1] = UInt8(ascii: "n")
        assertMalformed(try npz("magic.npz", [("a", badMagic)]), "\\x93NUMPY magic")

        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'oops': 1}\n"
        var badHeader = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0])
        badHeader.append(Data(header.utf8))
        badHeader.append(good.suffix(16))
        assertMalformed(try npz("header.npz", [("a", badHeader)]), "unexpected keys oops")

        let sizeMismatch = NumpyFiles.npy(shape: [5], float32: [1, 2, 3, 4])
        assertMalformed(try npz("size.npz", [("a", sizeMismatch)]), "has 16 data bytes but <f4 (5,) needs 20")

        var complex = NumpyFiles.npy(shape: [2], float32: [1, 2])
        complex.replaceSubrange(try XCTUnwrap(complex.range(of: Data("<f4".utf8))), with: Data("<c8".utf8))
        assertMalformed(try npz("complex.npz", [("a", complex)]), "dtype '<c8' (complex numbers) is not supported")
    }
}
