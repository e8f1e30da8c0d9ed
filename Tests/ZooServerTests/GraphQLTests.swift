import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// `POST /v2/graphql` answers the queries sparsezoo 1.8 sends, byte for byte as research/sparsezoo.md §2.2
/// shows them, from the catalog; other queries get GraphQL errors.
final class GraphQLTests: XCTestCase {
    static let fields = "modelId modelOnnxSizeCompressedBytes files(version: 2) { displayName downloadUrl fileSize fileType modelId } benchmarkResults { batchSize deviceInfo numCores recordedUnits recordedValue } trainingResults { datasetName datasetType recordedUnits recordedValue } repoName repoNamespace"

    var model: TinyModel!
    var upstream: NginxServer!
    var daemon: DaemonHarness!

    override func setUpWithError() throws {
        model = try TinyModel()
        upstream = try NginxServer(root: model.mirror.root)
        daemon = try DaemonHarness(registry: upstream.baseURL)
    }

    override func tearDown() {
        daemon.stop()
        upstream.stop()
    }

    func query(_ text: String) throws -> [String: Any] {
        let response = try daemon.tcp().post("/v2/graphql", ["query": text])
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap(response.object, response.text)
    }

    func models(_ answer: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap((answer["data"] as? [String: Any])?["models"] as? [[String: Any]], "\(answer)")
    }

    func testTheLongStubQueryOfSparsezooFindsTheModelUpstreamAndListsItsFilesAtTheDaemon() throws {
        // sparsezoo's v1 form: sub_domain → task, dataset → sourceDataset, the training scheme dropped.
        let text = """
            {
                models (domain: "cv",task: "classification",architecture: "tinynet",subArchitecture: "none",framework: "pytorch",repo: "zoo",sourceDataset: "synthetic",sparseTag: "pruned90-none",)
                    {
                       \(Self.fields)
                    }
            }
            """
        let found = try models(try query(text))
        XCTAssertEqual(found.count, 1)
        let first = try XCTUnwrap(found.first)
        XCTAssertEqual(first["repoName"] as? String, TinyModel.repoName)
        XCTAssertEqual(first["repoNamespace"] as? String, TinyModel.namespace)
        XCTAssertEqual(first["modelOnnxSizeCompressedBytes"] as? Int, model.files["model.onnx"]?.count)
        XCTAssertEqual((first["trainingResults"] as? [Any])?.count, 0)
        let files = try XCTUnwrap(first["files"] as? [[String: Any]])
        XCTAssertEqual(Set(files.compactMap { $0["displayName"] as? String }), Set(model.files.keys))
        let types = Dictionary(uniqueKeysWithValues: files.map { ($0["displayName"] as! String, $0["fileType"] as! String) })
        XCTAssertEqual(types["model.onnx"], "onnx")
        XCTAssertEqual(types["deployment.tar.gz"], "deployment")
        XCTAssertEqual(types["model.md"], "card")
        XCTAssertEqual(types["recipe.md"], "recipe")
        for file in files {
            let name = try XCTUnwrap(file["displayName"] as? String)
            XCTAssertEqual(file["downloadUrl"] as? String, "\(daemon.baseURL)/files/\(TinyModel.namespace)/\(TinyModel.repoName)/\(name)")
            XCTAssertEqual(file["fileSize"] as? Int, model.files[name]?.count)
            XCTAssertEqual(file["modelId"] as? String, first["modelId"] as? String)
        }
    }

    func testTheShortStubQueryOfSparsezooAndAnUnknownNameAnswerModelsLists() throws {
        let short = "{ models (repoName: \"\(TinyModel.repoName)\",) { \(Self.fields) } }"
        let byName = try models(try query(short))
        XCTAssertEqual(byName.count, 1)
        XCTAssertEqual(byName.first?["repoName"] as? String, TinyModel.repoName)
        XCTAssertEqual((byName.first?["files"] as? [Any])?.count, model.files.count)
        let byStub = try models(try query("{ models (stub: \"\(TinyModel.stub)\",) { repoName files(version: 2) { displayName } } }"))
        XCTAssertEqual(byStub.first?["repoName"] as? String, TinyModel.repoName)
        XCTAssertEqual(try models(try query("{ models (repoName: \"no-such-model-anywhere\",) { repoName } }")).count, 0)
    }

    func testQueriesItCannotAnswerGetGraphQLErrors() throws {
        let unknownField = try query("{ models (repoName: \"\(TinyModel.repoName)\",) { repoName colour } }")
        XCTAssertNotNil(unknownField["errors"], "\(unknownField)")
        let unknownOperation = try query("{ users { name } }")
        let messages = (unknownOperation["errors"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        XCTAssertEqual(messages.count, 1, "\(unknownOperation)")
        XCTAssertTrue(messages.first?.contains("\"users\"") == true, "\(messages)")
        let syntax = try query("{ models (repoName: \"unterminated) { repoName } }")
        XCTAssertTrue(((syntax["errors"] as? [[String: Any]])?.first?["message"] as? String)?.hasPrefix("Syntax Error") == true, "\(syntax)")
        let unknownArgument = try query("{ models (colour: \"red\",) { repoName } }")
        XCTAssertNotNil(unknownArgument["errors"])
    }
}
