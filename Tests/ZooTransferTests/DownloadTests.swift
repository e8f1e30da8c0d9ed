import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// Downloads from Debian's nginx on loopback: the ordinary path, several files at once, size checks, memory.
final class DownloadTests: XCTestCase {
    private let fixture = TransferFixture()

    func testDownloadsAFileAndChecksItsDigest() throws {
        let bytes = fixture.serve("model.onnx", size: 3_000_123)
        let nginx = try NginxServer(root: fixture.served)
        let destination = fixture.destination("model.onnx")
        let request = TransferRequest(
            id: "model.onnx", sources: [TransferSource(url: "\(nginx.baseURL)/model.onnx")], destination: destination,
            expectedSize: Int64(bytes.count), expectedSHA256: sha256(bytes)
        )
        let log = EventLog()
        let results = TransferClient(options: .quick()).download([request], events: log.record)

        let outcome = try results[0].get()
        XCTAssertEqual(outcome.sha256, sha256(bytes))
        XCTAssertEqual(outcome.bytes, Int64(bytes.count))
        XCTAssertEqual(outcome.resumedFrom, 0)
        XCTAssertEqual(outcome.url, "\(nginx.baseURL)/model.onnx")
        XCTAssertEqual(fixture.contents(destination), bytes)
        XCTAssertEqual(log.starts.count, 1)
        XCTAssertEqual(log.starts.first?.total, Int64(bytes.count))
        XCTAssertEqual(log.progress, log.progress.sorted(), "progress only grows")
        guard case .finished(let id, let size, let digest) = log.events.last else { return XCTFail("the last event is \(String(describing: log.events.last))") }
        XCTAssertEqual(id, "model.onnx")
        XCTAssertEqual(size, Int64(bytes.count))
        XCTAssertEqual(digest, sha256(bytes))
    }

    func testWithoutExpectationsTheDigestIsStillReported() throws {
        let bytes = fixture.serve("recipe.yaml", size: 4_321)
        let nginx = try NginxServer(root: fixture.served)
        let request = TransferRequest(id: "recipe", sources: [TransferSource(url: "\(nginx.baseURL)/recipe.yaml")],
                                      destination: fixture.destination("recipe.yaml"))
        let outcome = try TransferClient(options: .quick()).download([request]) { _ in }[0].get()
        XCTAssertEqual(outcome.sha256, sha256(bytes))
        XCTAssertEqual(fixture.contents(fixture.destination("recipe.yaml")), bytes)
    }

    func testSeveralFilesComeBackInRequestOrder() throws {
        let sizes = [700_001, 1, 250_000, 2_000_000, 0, 90_000]
        let files = sizes.enumerated().map { index, size in ("file\(index).bin", fixture.serve("file\(index).bin", size: size)) }
        let nginx = try NginxServer(root: fixture.served)
        let requests = files.map { name, bytes in
            TransferRequest(id: name, sources: [TransferSource(url: "\(nginx.baseURL)/\(name)")], destination: fixture.destination(name),
                            expectedSize: Int64(bytes.count), expectedSHA256: sha256(bytes))
        }
        let results = TransferClient(options: .quick(maxParallel: 3)).download(requests) { _ in }
        XCTAssertEqual(results.count, files.count)
        for ((name, bytes), result) in zip(files, results) {
            let outcome = try result.get()
            XCTAssertEqual(outcome.id, name)
            XCTAssertEqual(fixture.contents(fixture.destination(name)), bytes, name)
        }
    }

    func testFilesDownloadInParallel() throws {
        // Each file's first response sends half its body and then stalls for 0.6 s before closing: one after
        // the other that is at least 1.8 s, side by side about 0.6 s.
        let names = ["a.bin", "b.bin", "c.bin"]
        for name in names { fixture.serve(name, size: 200_000) }
        let server = try FaultServer(root: fixture.served)
        let requests = names.map { name in
            TransferRequest(id: name, sources: [TransferSource(url: "\(server.baseURL)/stall/0.6/\(name)")], destination: fixture.destination(name))
        }
        let start = Date()
        let results = TransferClient(options: .quick(maxParallel: 3)).download(requests) { _ in }
        let elapsed = Date().timeIntervalSince(start)
        for (name, result) in zip(names, results) {
            XCTAssertEqual(try result.get().sha256, sha256(fixture.contents(fixture.served.appendingPathComponent(name).path)!))
        }
        XCTAssertLessThan(elapsed, 1.5, "three stalled files took \(elapsed) s: they did not run in parallel")
    }

    func testAServerThatDisagreesAboutTheSizeIsNotUsed() throws {
        let bytes = fixture.serve("weights.bin", size: 10_000)
        let nginx = try NginxServer(root: fixture.served)
        let destination = fixture.destination("weights.bin")
        let request = TransferRequest(id: "weights", sources: [TransferSource(url: "\(nginx.baseURL)/weights.bin")],
                                      destination: destination, expectedSize: Int64(bytes.count + 1))
        let error = TransferClient(options: .quick()).download([request]) { _ in }[0].failure
        XCTAssertEqual(error?.code, .sizeMismatch)
        XCTAssertTrue(error?.message.contains("10000") ?? false, error?.message ?? "")
        XCTAssertNil(fixture.contents(destination), "no file is left that could pass for the download")
    }

    func testMemoryStaysFlatForALargeFile() throws {
        let size = 128 << 20
        let path = fixture.served.appendingPathComponent("large.bin").path
        // A sparse file: nginx serves zeros, which is enough to measure what the client keeps in memory.
        try Data().write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(truncate(path, off_t(size)), 0)
        let nginx = try NginxServer(root: fixture.served)
        let destination = fixture.destination("large.bin")
        let request = TransferRequest(id: "large", sources: [TransferSource(url: "\(nginx.baseURL)/large.bin")],
                                      destination: destination, expectedSize: Int64(size))
        let before = peakResidentBytes()
        let outcome = try TransferClient(options: .quick()).download([request]) { _ in }[0].get()
        let growth = peakResidentBytes() - before
        XCTAssertEqual(outcome.bytes, Int64(size))
        XCTAssertEqual(outcome.sha256, sha256(Data(count: size)))
        XCTAssertLessThan(growth, 32 << 20, "peak memory grew by \(growth >> 20) MiB while downloading 128 MiB")
    }

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }
}
