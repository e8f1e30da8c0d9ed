import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// Small requests kept in memory: index files and API calls.
final class FetchTests: XCTestCase {
    private let fixture = TransferFixture()

    func testFetchesAFileAfterARetry() throws {
        let bytes = fixture.serve("index.json", size: 5_000)
        let server = try FaultServer(root: fixture.served)
        let response = try TransferClient(options: .quick(maxBackoff: 0.05)).fetch("\(server.baseURL)/status/503/1/index.json")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, bytes)
        XCTAssertEqual(response.headers["content-length"], "5000")
        XCTAssertEqual(try server.requests().map(\.status), [503, 200])
    }

    func testPostsABodyWithHeadersAndToken() throws {
        let server = try FaultServer(root: fixture.served)
        let query = Data(#"{"query": "{ models { name } }"}"#.utf8)
        let response = try TransferClient(options: .quick()).fetch(
            "\(server.baseURL)/auth/t0ken/v2/graphql", method: "POST", body: query,
            headers: ["Content-Type": "application/json"], bearerToken: "t0ken"
        )
        XCTAssertEqual(response.body, query)
        XCTAssertEqual(response.headers["content-type"], "application/json")
        XCTAssertEqual(try server.requests().map(\.method), ["POST"])
    }

    func testANotFoundIsThrownWithItsStatus() throws {
        let server = try FaultServer(root: fixture.served)
        XCTAssertThrowsError(try TransferClient(options: .quick()).fetch("\(server.baseURL)/index.json")) { error in
            XCTAssertEqual((error as? TransferError)?.code, .http)
            XCTAssertEqual((error as? TransferError)?.status, 404)
        }
        XCTAssertEqual(try server.requests().count, 1)
    }

    func testARefusedConnectionIsANetworkError() throws {
        let dead = try LoopbackPort.unused()
        XCTAssertThrowsError(try TransferClient(options: .quick(maxAttempts: 2)).fetch("http://127.0.0.1:\(dead)/index.json")) { error in
            XCTAssertEqual((error as? TransferError)?.code, .network)
            XCTAssertTrue((error as? TransferError)?.message.contains("127.0.0.1:\(dead)") ?? false, "\(error)")
        }
    }
}
