import Foundation
import XCTest
@testable import ZooArchive

/// Archives libarchive cannot read are `unreadable` with libarchive's message; failed writes say why.
final class UnreadableArchiveTests: XCTestCase {
    private let sandbox = Sandbox()

    func testTruncatedTarGzipIsUnreadable() throws {
        let archive = try sandbox.archive("model.tar.gz") { try $0.file("model.onnx", deterministicBytes(300_000, seed: 3)) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: archive))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: archive))
        try sandbox.assertRefuses(archive, .unreadable, entry: "model.onnx")
        XCTAssertThrowsError(try ArchiveExtractor().list(archive: archive)) { error in
            XCTAssertTrue((error as? ArchiveError)?.message.lowercased().contains("truncated") == true, "\(error)")
        }
    }

    func testRandomBytesAreUnreadable() throws {
        let garbage = try sandbox.file("garbage.tar.gz", deterministicBytes(65_536, seed: 4))
        try sandbox.assertRefuses(garbage, .unreadable, entry: nil)
        XCTAssertThrowsError(try ArchiveExtractor().list(archive: garbage)) { error in
            XCTAssertTrue((error as? ArchiveError)?.message.contains("Unrecognized archive format") == true, "\(error)")
        }
    }

    func testEmptyFileIsUnreadable() throws {
        let empty = try sandbox.file("empty.tar.gz", [])
        try sandbox.assertRefuses(empty, .unreadable, entry: nil)
    }

    func testMissingArchiveIsUnreadable() throws {
        try sandbox.assertRefuses(sandbox.newDestination() + ".tar.gz", .unreadable, entry: nil)
    }

    func testNoSpaceLeftIsDiskFullAndOtherFailuresAreWriteFailed() {
        let full = ArchiveError.writing("write model.onnx", entry: "model.onnx", errno: ENOSPC)
        XCTAssertEqual(full.code, .diskFull)
        XCTAssertEqual(full.entry, "model.onnx")
        XCTAssertTrue(full.message.contains("No space left on device"), full.message)
        XCTAssertEqual(ArchiveError.writing("write model.onnx", entry: "model.onnx", errno: EDQUOT).code, .diskFull)
        XCTAssertEqual(ArchiveError.writing("write model.onnx", entry: "model.onnx", errno: EACCES).code, .writeFailed)
    }
}
