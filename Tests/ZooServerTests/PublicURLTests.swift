import Foundation
import XCTest
import ZooCatalog
import ZooServer
import ZooTestSupport

/// The `downloadUrl`s of GraphQL answers start with `--public-url` when the daemon has one (behind a proxy),
/// else with the Host the client used.
final class PublicURLTests: XCTestCase {
    static let query = "{ models (repoName: \"\(TinyModel.repoName)\",) { files(version: 2) { displayName downloadUrl } } }"
    static let path = "/files/\(TinyModel.namespace)/\(TinyModel.repoName)/"

    func testDownloadURLsStartWithThePublicURLWhenGiven() throws {
        let model = try TinyModel()
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL, publicURL: "https://zoo.example.com/models/")
        defer { daemon.stop() }
        for client in [daemon.tcp(), daemon.unix] {
            let urls = try Self.downloadURLs(client)
            XCTAssertEqual(urls.count, model.files.count)
            XCTAssertEqual(Set(urls), Set(model.files.keys.map { "https://zoo.example.com/models" + Self.path + $0 }))
        }
    }

    func testDownloadURLsUseTheRequestsHostWithoutAPublicURL() throws {
        let model = try TinyModel()
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        XCTAssertEqual(Set(try Self.downloadURLs(daemon.tcp())), Set(model.files.keys.map { daemon.baseURL + Self.path + $0 }))
        XCTAssertEqual(Set(try Self.downloadURLs(daemon.unix)), Set(model.files.keys.map { "http://localhost" + Self.path + $0 }))
    }

    func testAPublicURLThatIsNotAnHTTPURLIsRefusedAtStart() throws {
        let home = TemporaryDirectory()
        for bad in ["ftp://zoo.example.com", "zoo.example.com", "https://", "https://zoo.example.com/?a=b"] {
            let configuration = ServerConfiguration(home: ZooHome(url: home.url), publicURL: bad)
            XCTAssertThrowsError(try ZooServer(configuration: configuration), bad) { error in
                XCTAssertTrue("\(error)".contains("--public-url takes the http(s) URL"), "\(error)")
            }
        }
        let result = try ZooBinary.run(["serve", "--public-url", "ftp://zoo.example.com"], home: home.url)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("--public-url takes the http(s) URL"), result.stderr)
    }

    private static func downloadURLs(_ client: DaemonClient) throws -> [String] {
        let answer = try client.post("/v2/graphql", ["query": query])
        XCTAssertEqual(answer.status, 200, answer.text)
        let models = try XCTUnwrap((answer.object?["data"] as? [String: Any])?["models"] as? [[String: Any]], answer.text)
        let files = try XCTUnwrap(models.first?["files"] as? [[String: Any]], answer.text)
        return files.compactMap { $0["downloadUrl"] as? String }
    }
}
