import Foundation
import XCTest
import ZooTestSupport
@testable import ZooVerify

/// `SampleData.locate`: sample directories and `.tar.gz` archives found, unpacked and paired; missing,
/// unpaired and corrupt sample data refused.
final class SampleDataTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUp() { directory = TemporaryDirectory() }
    override func tearDown() { directory = nil }

    private func assertError(_ code: SampleDataError.Code, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SampleData.locate(in: directory.url), file: file, line: line) { error in
            XCTAssertEqual((error as? SampleDataError)?.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(fragment), "expected '\(fragment)' in: \(error)", file: file, line: line)
        }
    }

    private func makeFolder(_ name: String, files: [String]) throws {
        let folder = directory.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files { try Data("x".utf8).write(to: folder.appendingPathComponent(file)) }
    }

    func testNoSampleDataIsNil() throws {
        try Data().write(to: directory.url.appendingPathComponent("model.onnx"))
        XCTAssertNil(try SampleData.locate(in: directory.url))
    }

    func testDirectoriesArePairedInSortedOrder() throws {
        try makeFolder("sample-inputs", files: ["inp-0001.npz", "inp-0000.npz", "inp-0002.npz", "README.txt"])
        try makeFolder("sample-outputs", files: ["out-0002.npz", "out-0000.npz", "out-0001.npz"])
        let samples = try XCTUnwrap(try SampleData.locate(in: directory.url))
        XCTAssertEqual(samples.pairs.map(\.input.lastPathComponent), ["inp-0000.npz", "inp-0001.npz", "inp-0002.npz"])
        XCTAssertEqual(samples.pairs.map(\.output.lastPathComponent), ["out-0000.npz", "out-0001.npz", "out-0002.npz"])
        XCTAssertEqual(samples.inputsSource, directory.path("sample-inputs"))
    }

    func testArchivesAreUnpackedIntoScratchThatIsRemovedAfterwards() throws {
        try SampleModelFixture.write(to: directory.url, layout: .archives)
        var samples: SampleData? = try XCTUnwrap(try SampleData.locate(in: directory.url))
        XCTAssertEqual(samples?.inputsSource, directory.path("sample-inputs.tar.gz"))
        XCTAssertEqual(samples?.pairs.count, SampleModelFixture.samples.count)
        let unpacked = try XCTUnwrap(samples?.pairs.first?.input)
        XCTAssertFalse(unpacked.path.hasPrefix(directory.url.path), "archives are unpacked outside the model directory")
        let first = try SampleFile(url: unpacked)
        XCTAssertEqual(try first.arrays[0].tensor.scalars(Float.self), SampleModelFixture.samples[0].a)
        samples = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: unpacked.path), "the scratch directory goes with the SampleData")
    }

    func testUnpackedDirectoryWinsOverItsArchiveAndUnderscoreNamesAreFound() throws {
        try makeFolder("sample_inputs", files: ["inp-0000.npz"])
        try Data("not a tarball".utf8).write(to: directory.url.appendingPathComponent("sample-outputs.tar.gz"))
        try makeFolder("sample-outputs", files: ["out-0000.npz"])
        let samples = try XCTUnwrap(try SampleData.locate(in: directory.url))
        XCTAssertEqual(samples.inputsSource, directory.path("sample_inputs"))
        XCTAssertEqual(samples.outputsSource, directory.path("sample-outputs"))
    }

    func testOneSideMissing() throws {
        try makeFolder("sample-inputs", files: ["inp-0000.npz"])
        assertError(.missing, "has sample inputs but no sample-outputs")
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("sample-inputs"))
        try makeFolder("sample-outputs_onnxruntime", files: ["out-0000.npz"])
        assertError(.missing, "has sample outputs but no sample-inputs")
    }

    func testFilesThatDoNotPairUp() throws {
        try makeFolder("sample-inputs", files: ["inp-0000.npz", "inp-0001.npz"])
        try makeFolder("sample-outputs", files: ["out-0000.npz"])
        assertError(.malformedFile, "holds 2 .npz file(s) but")
        try makeFolder("sample-outputs", files: ["out-0002.npz"])
        assertError(.malformedFile, "inp-0001.npz would be checked against out-0002.npz")

        let empty = TemporaryDirectory()
        directory = empty
        try makeFolder("sample-inputs", files: [])
        try makeFolder("sample-outputs", files: [])
        assertError(.malformedFile, "holds no .npz files")
    }

    func testCorruptArchiveIsNamed() throws {
        try makeFolder("sample-inputs", files: ["inp-0000.npz"])
        try Data("definitely not gzip".utf8).write(to: directory.url.appendingPathComponent("sample-outputs.tar.gz"))
        assertError(.malformedFile, "cannot unpack \(directory.path("sample-outputs.tar.gz"))")
    }
}
