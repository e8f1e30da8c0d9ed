import CArchive
import XCTest
import ZooArchive

/// Entries whose names, links or types could reach outside the destination are refused, naming the entry.
final class PathSafetyTests: XCTestCase {
    private let sandbox = Sandbox()

    func testDotDotAtTheStartIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.file("../x", [1]) }
        try sandbox.assertRefuses(archive, .pathTraversal, entry: "../x")
    }

    func testDotDotThatClimbsPastTheRootIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("a/ok", [1])
            try $0.file("a/../../x", [2])
        }
        try sandbox.assertRefuses(archive, .pathTraversal, entry: "a/../../x")
    }

    func testDotDotThatStaysInsideIsRefusedToo() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.file("a/../b", [1]) }
        try sandbox.assertRefuses(archive, .pathTraversal, entry: "a/../b")
    }

    func testAbsolutePathIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.file("/etc/x", [1]) }
        try sandbox.assertRefuses(archive, .absolutePath, entry: "/etc/x")
    }

    func testSymbolicLinkToAnAbsolutePathIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.symbolicLink("passwd", to: "/etc/passwd") }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "passwd")
    }

    func testSymbolicLinkClimbingOutIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("a/file", [1])
            try $0.symbolicLink("a/link", to: "../../x")
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "a/link")
    }

    func testSymbolicLinkEscapingThroughAnotherLinkIsRefused() throws {
        // `d/s/../x` reads as `d/x`, but `d/s` is a link to the root, so the kernel would resolve it to `../x`.
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.symbolicLink("t", to: "d/s/../x")
            try $0.symbolicLink("d/s", to: "..")
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "t")
    }

    func testSymbolicLinkLoopIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.symbolicLink("a", to: "b/x")
            try $0.symbolicLink("b", to: "a")
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "a")
    }

    func testWritingThroughAnEarlierSymbolicLinkIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.directory("d")
            try $0.symbolicLink("s", to: "d")
            try $0.file("s/f", [1])
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "s/f")
    }

    func testHardLinkOutsideTheTreeIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("x", [1])
            try $0.hardLink("h", to: "../x")
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "h")
    }

    func testHardLinkToAnAbsolutePathIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.hardLink("h", to: "/etc/passwd") }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "h")
    }

    func testHardLinkToAnEntryNotYetExtractedIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.hardLink("h", to: "later")
            try $0.file("later", [1])
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "h")
    }

    func testFifoIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("ok", [1])
            try $0.special("pipe", type: CArchive_IFIFO)
        }
        try sandbox.assertRefuses(archive, .specialFile, entry: "pipe")
    }

    func testCharacterDeviceIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.special("dev/null", type: CArchive_IFCHR) }
        try sandbox.assertRefuses(archive, .specialFile, entry: "dev/null")
    }

    func testBlockDeviceIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") { try $0.special("sda", type: CArchive_IFBLK) }
        try sandbox.assertRefuses(archive, .specialFile, entry: "sda")
    }

    func testDuplicateFileIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("model.onnx", [1])
            try $0.file("model.onnx", [2])
        }
        try sandbox.assertRefuses(archive, .duplicateEntry, entry: "model.onnx")
    }

    func testDuplicateSpelledDifferentlyIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("a/model.onnx", [1])
            try $0.file("./a//model.onnx", [2])
        }
        try sandbox.assertRefuses(archive, .duplicateEntry, entry: "./a//model.onnx")
    }

    func testFileUsedAsADirectoryIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("a", [1])
            try $0.file("a/b", [2])
        }
        try sandbox.assertRefuses(archive, .duplicateEntry, entry: "a/b")
    }

    func testSymbolicLinkReplacingADirectoryIsRefused() throws {
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("d/f", [1])
            try $0.symbolicLink("d", to: "e")
        }
        try sandbox.assertRefuses(archive, .duplicateEntry, entry: "d")
    }

    func testLinkThatLeavesTheStrippedTopDirectoryIsRefused() throws {
        // Inside the archive `../deployment/b` stays in the tree, but once `deployment/` is stripped it would not.
        let archive = try sandbox.archive("a.tar.gz") {
            try $0.file("deployment/b", [1])
            try $0.symbolicLink("deployment/a", to: "../deployment/b")
        }
        try sandbox.assertRefuses(archive, .linkOutside, entry: "deployment/a", listRefuses: false)
        let destination = try sandbox.newDestination()
        _ = try ArchiveExtractor().extract(archive: archive, into: destination, stripSharedTopDirectory: false)
        XCTAssertEqual(try String(contentsOfFile: destination + "/deployment/a", encoding: .isoLatin1), "\u{1}")
    }
}
