import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// zoo's download speed next to the curl command line, from nginx on loopback to the same disk.
///
/// Both write the file and sync it; zoo also hashes it (on a second thread). The printed figures are the
/// measurement (docs/transfers.md); the assertion is a floor that catches a client gone slow (small buffers,
/// allocation per chunk, hashing in line on a busy machine), set below the target because this test shares a
/// small machine with builds.
final class ThroughputTests: XCTestCase {
    private let fixture = TransferFixture()

    func testDownloadSpeedIsCloseToCurl() throws {
        let size = 256 << 20
        let path = fixture.served.appendingPathComponent("large.bin").path
        try Data().write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(truncate(path, off_t(size)), 0)
        let nginx = try NginxServer(root: fixture.served)
        let url = "\(nginx.baseURL)/large.bin"

        var curlSeconds: [Double] = []
        var zooSeconds: [Double] = []
        for round in 0..<3 {
            let curlOutput = fixture.destination("curl-\(round).bin")
            curlSeconds.append(try measure { try runCurl(url, to: curlOutput) })
            try FileManager.default.removeItem(atPath: curlOutput)

            let zooOutput = fixture.destination("zoo-\(round).bin")
            let request = TransferRequest(id: "large", sources: [TransferSource(url: url)], destination: zooOutput, expectedSize: Int64(size))
            zooSeconds.append(try measure { _ = try TransferClient().download([request]) { _ in }[0].get() })
            try FileManager.default.removeItem(atPath: zooOutput)
        }
        let megabytes = Double(size) / 1e6
        let curlSpeed = megabytes / curlSeconds.min()!
        let zooSpeed = megabytes / zooSeconds.min()!
        print(String(format: "throughput, best of 3 × 256 MiB: curl -o + sync %.0f MB/s, zoo (sha256 + fsync) %.0f MB/s = %.0f %%",
                     curlSpeed, zooSpeed, 100 * zooSpeed / curlSpeed))
        XCTAssertGreaterThan(zooSpeed, 0.6 * curlSpeed)
    }

    private func measure(_ body: () throws -> Void) throws -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// `curl -o` then `sync` of the file, so both sides end with the bytes on disk.
    private func runCurl(_ url: String, to output: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "curl -sSf -o \"$1\" \"$2\" && sync \"$1\"", "sh", output, url]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "curl failed; scripts/install-deps.sh installs it")
    }
}
