import Foundation
import XCTest
import ZooCatalog
import ZooServer
import ZooTestSupport

/// A TCP listener that other machines can reach needs a bearer token, and refuses requests without it.
final class TokenTests: XCTestCase {
    func testANonLoopbackListenerWithoutATokenIsRefusedAtStart() throws {
        let home = TemporaryDirectory()
        let configuration = ServerConfiguration(home: ZooHome(url: home.url), tcp: ListenAddress(host: "0.0.0.0", port: 8080))
        XCTAssertThrowsError(try ZooServer(configuration: configuration)) { error in
            XCTAssertEqual((error as? ServerError)?.code, .invalidConfiguration)
            XCTAssertTrue("\(error)".contains("--token-file"), "\(error)")
        }
        XCTAssertNoThrow(try ServerConfiguration(home: ZooHome(url: home.url), tcp: ListenAddress(host: "127.0.0.1", port: 8080)).validate())
    }

    func testANonLoopbackListenerRefusesRequestsWithoutTheToken() throws {
        // Listening on every address (not loopback) but talked to over 127.0.0.1 only.
        let daemon = try DaemonHarness(listenHost: "0.0.0.0", token: "s3cret-token")
        defer { daemon.stop() }

        let anonymous = try daemon.tcp().get("/healthz")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertEqual((anonymous.object?["error"] as? [String: Any])?["code"] as? String, "api.unauthorized")
        XCTAssertEqual(try daemon.tcp(token: "wrong-token").get("/v1/search?text=resnet").status, 401)
        XCTAssertEqual(try daemon.tcp(token: "wrong-token").post("/v1/pull", ["stub": "zoo:resnet_v1-50-imagenet-pruned95"]).status, 401)
        XCTAssertEqual(try daemon.tcp(token: "s3cret-token").get("/healthz").status, 200)
        XCTAssertEqual(try daemon.unix.get("/healthz").status, 200, "the Unix socket (mode 0600) needs no token")
    }

    func testTheUnixSocketIsOnlyForItsOwner() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        var info = stat()
        XCTAssertEqual(stat(daemon.home.url.appendingPathComponent("zoo.sock").path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
    }
}
