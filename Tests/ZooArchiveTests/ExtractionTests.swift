import Foundation
import XCTest
import ZooArchive

/// Good archives come out byte for byte, with safe modes, links intact and a shared top directory stripped.
final class ExtractionTests: XCTestCase {
    private let sandbox = Sandbox()
    private let weights = deterministicBytes(300_000, seed: 1)
    private let config = Array(#"{"task": "image-classification"}"#.utf8)
    private let script = Array("#!/bin/sh\necho hi\n".utf8)

    /// A small model directory: nested files, an executable, a setuid file, an empty file, an empty
    /// directory, a symbolic link and a hard link.
    private func addModel(to builder: ArchiveBuilder, under top: String = "") throws {
        try builder.directory(top + "sub")
        try builder.file(top + "model.onnx", weights)
        try builder.file(top + "sub/config.json", config)
        try builder.file(top + "run.sh", script, mode: 0o775)
        try builder.file(top + "setuid", script, mode: 0o4755)
        try builder.file(top + "empty", [])
        try builder.directory(top + "nothing")
        try builder.symbolicLink(top + "sub/model.onnx", to: "../model.onnx")
        try builder.hardLink(top + "copy.onnx", to: top + "model.onnx")
    }

    private let modelFiles = ["copy.onnx", "empty", "model.onnx", "run.sh", "setuid", "sub/config.json", "sub/model.onnx"]

    private func assertModel(at destination: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let manager = FileManager.default
        XCTAssertEqual(manager.contents(atPath: destination + "/model.onnx"), Data(weights), file: file, line: line)
        XCTAssertEqual(manager.contents(atPath: destination + "/sub/config.json"), Data(config), file: file, line: line)
        XCTAssertEqual(manager.contents(atPath: destination + "/empty"), Data(), file: file, line: line)
        XCTAssertEqual(try manager.destinationOfSymbolicLink(atPath: destination + "/sub/model.onnx"), "../model.onnx", file: file, line: line)
        XCTAssertEqual(manager.contents(atPath: destination + "/sub/model.onnx"), Data(weights), file: file, line: line)
        XCTAssertEqual(try inode(destination + "/copy.onnx"), try inode(destination + "/model.onnx"), file: file, line: line)
        XCTAssertEqual(try permissions(destination + "/model.onnx"), 0o644, file: file, line: line)
        XCTAssertEqual(try permissions(destination + "/run.sh"), 0o755, file: file, line: line)
        XCTAssertEqual(try permissions(destination + "/setuid"), 0o755, file: file, line: line)
        XCTAssertEqual(try permissions(destination + "/nothing"), 0o755, file: file, line: line)
        XCTAssertEqual(try permissions(destination), 0o755, file: file, line: line)
    }

    private func permissions(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    private func inode(_ path: String) throws -> UInt64 {
        try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as! NSNumber).uint64Value
    }

    func testTarGzipRoundTripIsByteEqual() throws {
        let archive = try sandbox.archive("model.tar.gz") { try addModel(to: $0) }
        let destination = try sandbox.newDestination()
        let report = try ArchiveExtractor().extract(archive: archive, into: destination)
        try assertModel(at: destination)
        XCTAssertEqual(report.files, modelFiles)
        XCTAssertEqual(report.bytes, Int64(weights.count + config.count + 2 * script.count))
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["model"], "the temporary directory was left behind")
    }

    func testOtherCompressionsAndZipRoundTrip() throws {
        for (name, format) in [("m.tar", ArchiveBuilder.Format.tar), ("m.tar.xz", .tarXz), ("m.tar.zst", .tarZstd), ("m.zip", .zip)] {
            let archive = try sandbox.archive(name, format: format) { builder in
                try builder.file("model.onnx", weights)
                try builder.file("sub/config.json", config)
                try builder.symbolicLink("sub/model.onnx", to: "../model.onnx")
            }
            let destination = try sandbox.newDestination()
            let report = try ArchiveExtractor().extract(archive: archive, into: destination)
            XCTAssertEqual(report.files, ["model.onnx", "sub/config.json", "sub/model.onnx"], name)
            XCTAssertEqual(FileManager.default.contents(atPath: destination + "/model.onnx"), Data(weights), name)
            XCTAssertEqual(FileManager.default.contents(atPath: destination + "/sub/config.json"), Data(config), name)
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: destination + "/sub/model.onnx"), "../model.onnx", name)
        }
    }

    func testSharedTopDirectoryIsStripped() throws {
        let archive = try sandbox.archive("deployment.tar.gz") { builder in
            try builder.directory("./")
            try builder.directory("./deployment/")
            try addModel(to: builder, under: "./deployment/")
        }
        let destination = try sandbox.newDestination()
        let report = try ArchiveExtractor().extract(archive: archive, into: destination)
        try assertModel(at: destination)
        XCTAssertEqual(report.files, modelFiles)
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination + "/deployment"))
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["model"], "the temporary directory was left behind")
    }

    func testTopDirectoryIsKeptWhenStrippingIsOff() throws {
        let archive = try sandbox.archive("deployment.tar.gz") { try addModel(to: $0, under: "deployment/") }
        let destination = try sandbox.newDestination()
        let report = try ArchiveExtractor().extract(archive: archive, into: destination, stripSharedTopDirectory: false)
        try assertModel(at: destination + "/deployment")
        XCTAssertEqual(report.files, modelFiles.map { "deployment/" + $0 })
    }

    func testTwoTopDirectoriesAreNotStripped() throws {
        let archive = try sandbox.archive("two.tar.gz") { builder in
            try builder.file("deployment/model.onnx", weights)
            try builder.file("training/model.onnx", [7])
        }
        let destination = try sandbox.newDestination()
        let report = try ArchiveExtractor().extract(archive: archive, into: destination)
        XCTAssertEqual(report.files, ["deployment/model.onnx", "training/model.onnx"])
        XCTAssertEqual(FileManager.default.contents(atPath: destination + "/deployment/model.onnx"), Data(weights))
        XCTAssertEqual(FileManager.default.contents(atPath: destination + "/training/model.onnx"), Data([7]))
    }

    func testSingleTopLevelFileIsNotStripped() throws {
        let archive = try sandbox.archive("one.tar.gz") { try $0.file("model.onnx", weights) }
        let destination = try sandbox.newDestination()
        XCTAssertEqual(try ArchiveExtractor().extract(archive: archive, into: destination).files, ["model.onnx"])
        XCTAssertEqual(FileManager.default.contents(atPath: destination + "/model.onnx"), Data(weights))
    }

    func testDirectoryEntryAfterItsFilesIsFine() throws {
        let archive = try sandbox.archive("late.zip", format: .zip) { builder in
            try builder.file("a/b/model.onnx", weights)
            try builder.directory("a/b/")
            try builder.directory("a/")
            try builder.file("c", [1])
        }
        let destination = try sandbox.newDestination()
        XCTAssertEqual(try ArchiveExtractor().extract(archive: archive, into: destination).files, ["a/b/model.onnx", "c"])
        XCTAssertEqual(FileManager.default.contents(atPath: destination + "/a/b/model.onnx"), Data(weights))
    }

    func testExistingDestinationIsLeftAlone() throws {
        let archive = try sandbox.archive("one.tar.gz") { try $0.file("model.onnx", weights) }
        let destination = try sandbox.newDestination()
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        try Data([42]).write(to: URL(fileURLWithPath: destination + "/mine"))
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive: archive, into: destination)) { error in
            XCTAssertEqual((error as? ArchiveError)?.code, .writeFailed)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: destination), ["mine"])
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["model"])
    }

    func testMissingParentDirectoryIsAWriteFailure() throws {
        let archive = try sandbox.archive("one.tar.gz") { try $0.file("model.onnx", weights) }
        let destination = try sandbox.newDestination() + "/no/such/place"
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive: archive, into: destination)) { error in
            XCTAssertEqual((error as? ArchiveError)?.code, .writeFailed)
        }
    }

    func testListReportsEntriesInArchiveOrderWithoutWriting() throws {
        let archive = try sandbox.archive("model.tar.gz") { builder in
            try builder.directory("./deployment/")
            try builder.file("deployment/model.onnx", weights)
            try builder.symbolicLink("deployment/latest.onnx", to: "model.onnx")
            try builder.hardLink("deployment/copy.onnx", to: "deployment/model.onnx")
        }
        XCTAssertEqual(try ArchiveExtractor().list(archive: archive), [
            ArchiveEntryInfo(path: "deployment", kind: .directory, size: nil),
            ArchiveEntryInfo(path: "deployment/model.onnx", kind: .file, size: Int64(weights.count)),
            ArchiveEntryInfo(path: "deployment/latest.onnx", kind: .symbolicLink, size: nil, linkTarget: "model.onnx"),
            ArchiveEntryInfo(path: "deployment/copy.onnx", kind: .hardLink, size: nil, linkTarget: "deployment/model.onnx"),
        ])
    }
}
