import Foundation
import XCTest
import ZooArchive
import ZooTestSupport

/// A temporary directory to build archives in and extract them to, with the check every refusal must pass:
/// the error names the entry, and neither the destination nor a temporary sibling is left behind.
final class Sandbox {
    private let directory = TemporaryDirectory()
    private var destinations = 0

    /// Builds the archive `name` (see `ArchiveBuilder.write`) and returns its path.
    func archive(_ name: String, format: ArchiveBuilder.Format = .tarGzip, _ body: (ArchiveBuilder) throws -> Void) throws -> String {
        let path = directory.path(name)
        try ArchiveBuilder.write(path, format: format, body)
        return path
    }

    /// Writes `bytes` as the file `name` and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A destination that does not exist yet, alone in a fresh parent directory.
    func newDestination() throws -> String {
        destinations += 1
        let parent = directory.path("out-\(destinations)")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
        return parent + "/model"
    }

    /// Extracts `archive` expecting the refusal `code` naming `entry`; checks that the destination's parent is
    /// still empty and, when `listRefuses`, that `list` refuses the archive the same way.
    func assertRefuses(
        _ archive: String, _ code: ArchiveError.Code, entry: String?, limits: ExtractionLimits = .default,
        listRefuses: Bool = true, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let destination = try newDestination()
        let extractor = ArchiveExtractor(limits: limits)
        XCTAssertThrowsError(try extractor.extract(archive: archive, into: destination), file: file, line: line) { error in
            Self.check(error, code, entry: entry, file: file, line: line)
        }
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), [], "a refusal left files behind", file: file, line: line)
        if listRefuses {
            XCTAssertThrowsError(try extractor.list(archive: archive), file: file, line: line) { error in
                Self.check(error, code, entry: entry, file: file, line: line)
            }
        }
    }

    private static func check(_ error: Error, _ code: ArchiveError.Code, entry: String?, file: StaticString, line: UInt) {
        guard let error = error as? ArchiveError else {
            return XCTFail("expected an ArchiveError, got \(error)", file: file, line: line)
        }
        XCTAssertEqual(error.code, code, error.message, file: file, line: line)
        XCTAssertEqual(error.entry, entry, error.message, file: file, line: line)
        if let entry {
            XCTAssertTrue(error.message.contains(entry), "the message does not name \(entry): \(error.message)", file: file, line: line)
        }
    }
}
