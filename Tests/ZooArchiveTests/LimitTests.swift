import Foundation
import XCTest
import ZooArchive

/// Entry size, total size, expansion ratio and entry count are capped; bombs are stopped early.
final class LimitTests: XCTestCase {
    private let sandbox = Sandbox()

    func testEntryAtTheCapIsExtractedAndOneByteMoreIsRefused() throws {
        let limits = ExtractionLimits(maxEntryBytes: 1000)
        let atCap = try sandbox.archive("at.tar.gz") { try $0.file("model.onnx", deterministicBytes(1000, seed: 2)) }
        XCTAssertEqual(try ArchiveExtractor(limits: limits).extract(archive: atCap, into: sandbox.newDestination()).bytes, 1000)
        let over = try sandbox.archive("over.tar.gz") { try $0.file("model.onnx", deterministicBytes(1001, seed: 2)) }
        try sandbox.assertRefuses(over, .entryTooLarge, entry: "model.onnx", limits: limits)
    }

    func testTotalBytesOverTheCapAreRefused() throws {
        let archive = try sandbox.archive("parts.tar.gz") { builder in
            for part in 0..<3 { try builder.file("part\(part)", deterministicBytes(400, seed: UInt64(part))) }
        }
        try sandbox.assertRefuses(archive, .expansionLimit, entry: "part2", limits: ExtractionLimits(maxTotalBytes: 1000))
    }

    func testGzipBombIsRefusedBeforeItIsWritten() throws {
        let archive = try sandbox.archive("bomb.tar.gz") { try $0.file("zeros", zeros: 200_000_000) }
        let archiveBytes = try FileManager.default.attributesOfItem(atPath: archive)[.size] as! NSNumber
        XCTAssertLessThan(archiveBytes.intValue, 1_000_000, "the bomb should compress by more than 200 times")
        let started = ContinuousClock.now
        try sandbox.assertRefuses(archive, .expansionLimit, entry: "zeros", limits: ExtractionLimits(maxExpansionRatio: 20))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testBombWhoseHeaderUnderstatesItsSizeIsStoppedAsBytesFlow() throws {
        let archive = try sandbox.archive("liar.zip", format: .zip) { try $0.file("zeros", zeros: 20_000_000) }
        try understateZipSizes(archive, as: 1000)
        let limits = ExtractionLimits(maxExpansionRatio: 50)
        XCTAssertEqual(try ArchiveExtractor(limits: limits).list(archive: archive).map(\.size), [1000], "the header should now claim 1000 bytes")
        try sandbox.assertRefuses(archive, .expansionLimit, entry: "zeros", limits: limits, listRefuses: false)
    }

    func testTooManyEntriesAreRefused() throws {
        let archive = try sandbox.archive("many.tar.gz") { builder in
            for index in 0..<6 { try builder.file("f\(index)", [UInt8(index)]) }
        }
        try sandbox.assertRefuses(archive, .tooManyEntries, entry: "f5", limits: ExtractionLimits(maxEntries: 5))
        XCTAssertEqual(try ArchiveExtractor(limits: ExtractionLimits(maxEntries: 6)).list(archive: archive).count, 6)
    }

    func testDefaultsAreTheDocumentedOnes() {
        let limits = ExtractionLimits.default
        XCTAssertEqual(limits.maxEntryBytes, 64 * 1024 * 1024 * 1024)
        XCTAssertEqual(limits.maxTotalBytes, 256 * 1024 * 1024 * 1024)
        XCTAssertEqual(limits.maxExpansionRatio, 200)
        XCTAssertEqual(limits.maxEntries, 100_000)
    }

    /// Rewrites the uncompressed size that a one-entry zip records in its local header, data descriptor and
    /// central directory, leaving the compressed data as it is (offsets from the zip specification, APPNOTE 4.3).
    private func understateZipSizes(_ path: String, as size: UInt32) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func signature(at offset: Int) -> UInt32 { read32(bytes, at: offset) }
        let endRecord = bytes.count - 22
        XCTAssertEqual(signature(at: endRecord), 0x0605_4B50, "expected an end of central directory record without a comment")
        let centralDirectory = Int(read32(bytes, at: endRecord + 16))
        let descriptor = centralDirectory - 16
        XCTAssertEqual(signature(at: 0), 0x0403_4B50)
        XCTAssertEqual(signature(at: descriptor), 0x0807_4B50)
        XCTAssertEqual(signature(at: centralDirectory), 0x0201_4B50)
        for offset in [22, descriptor + 12, centralDirectory + 24] {
            withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func read32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
