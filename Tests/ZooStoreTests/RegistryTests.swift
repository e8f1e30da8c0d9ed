import Foundation
import XCTest
import ZooStub
@testable import ZooStore

/// The registry pieces that need no server: the SparseZoo query text, answer parsing, endpoint lists, sizes.
final class RegistryTests: XCTestCase {
    /// The argument lists sparsezoo 1.8.1 sends (research/sparsezoo.md §2.2 and its test_query_parser.py).
    func testModelQueryArgumentsMatchSparseZoo() throws {
        let cases = [
            ("zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet-augmented/pruned95_quant-none-vnni",
             #"(domain: "cv",task: "classification",architecture: "resnet_v1",subArchitecture: "50",framework: "pytorch",repo: "sparseml",sourceDataset: "imagenet",sparseTag: "pruned95_quant-none-vnni",)"#),
            ("zoo:nlp/token_classification/biobert-base_cased/pytorch/huggingface/bc2gm/pruned90-none",
             #"(domain: "nlp",task: "token_classification",architecture: "biobert",subArchitecture: "base_cased",framework: "pytorch",repo: "huggingface",sourceDataset: "bc2gm",sparseTag: "pruned90-none",)"#),
            ("zoo:mobilebert-squad_wikipedia_bookcorpus-pruned50_quantized",
             #"(repoName: "mobilebert-squad_wikipedia_bookcorpus-pruned50_quantized",)"#),
        ]
        for (stub, expected) in cases {
            XCTAssertEqual(GraphQLQuery.arguments(try Stub(parsing: stub)), expected)
        }
        let query = GraphQLQuery.model(try Stub(parsing: "zoo:mobilebert-squad_wikipedia_bookcorpus-pruned50_quantized"))
        XCTAssertTrue(query.hasPrefix("{ models (repoName: "))
        XCTAssertTrue(query.contains("files(version: 2) { displayName downloadUrl fileSize fileType modelId }"))
    }

    func testAnswerBecomesACatalogEntryWithSparseZoosRenames() throws {
        let answer: [String: Any] = ["data": ["models": [[
            "modelId": "4f0c", "repoName": "resnet_v1-50-imagenet-pruned95", "repoNamespace": "neuralmagic",
            "files": [
                ["displayName": "model.onnx", "downloadUrl": "https://models.example/model.onnx", "fileSize": 1234, "fileType": "onnx"],
                ["displayName": "training/model.pth", "downloadUrl": "https://models.example/model.pth", "fileSize": 99, "fileType": "framework"],
                ["displayName": "sample-inputs.tar.gz", "downloadUrl": "https://models.example/in.tar.gz", "fileSize": 0, "fileType": "samples"],
            ],
        ]]]]
        let stub = try Stub(parsing: "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned95-none")
        let entry = try XCTUnwrap(try GraphQLModels.firstEntry(in: answer, stub: stub))
        XCTAssertEqual(entry["repo_name"] as? String, "resnet_v1-50-imagenet-pruned95")
        XCTAssertEqual(entry["namespace"] as? String, "neuralmagic")
        let files = try XCTUnwrap(entry["files"] as? [[String: Any]])
        XCTAssertEqual(files.map { $0["kind"] as? String }, ["onnx", "training", "inputs"])
        XCTAssertEqual(files[0]["size"] as? Int64, 1234)
        XCTAssertNil(files[2]["size"], "a zero size is SparseZoo's 'unknown'")

        XCTAssertNil(try GraphQLModels.firstEntry(in: ["data": ["models": []]], stub: stub))
        XCTAssertThrowsError(try GraphQLModels.firstEntry(in: ["errors": ["bad"]], stub: stub))
    }

    func testRegistryListParsesKindsAndTokens() throws {
        let environment = ["ZOO_TOKEN_ZOO_EXAMPLE_COM": "secret", "ZOO_REGISTRY_TOKEN": "fallback"]
        let list = try RegistryEndpoint.parseList(
            "https://zoo.example.com/, static+http://127.0.0.1:8080/mirror ,graphql+https://api.example.org", environment: environment)
        XCTAssertEqual(list.map(\.baseURL), ["https://zoo.example.com", "http://127.0.0.1:8080/mirror", "https://api.example.org"])
        XCTAssertEqual(list.map(\.declaredKind), [nil, .static, .graphql])
        XCTAssertEqual(list.map(\.token), ["secret", "fallback", "fallback"])
        XCTAssertEqual(try RegistryEndpoint.parseList("http://10.0.0.1", environment: [:]).first?.token, nil)
        for bad in ["ftp://x", "zoo.example.com", "http://", "file:///srv/mirror"] {
            XCTAssertThrowsError(try RegistryEndpoint.parseList(bad, environment: [:]), bad)
        }
    }

    func testByteCountsParseAndFormat() {
        XCTAssertEqual(ByteCount.parse("20G"), 20_000_000_000)
        XCTAssertEqual(ByteCount.parse("1.5GiB"), 1_610_612_736)
        XCTAssertEqual(ByteCount.parse("512MB"), 512_000_000)
        XCTAssertEqual(ByteCount.parse("100k"), 100_000)
        XCTAssertEqual(ByteCount.parse("4096"), 4096)
        for bad in ["", "G", "-1G", "12X", "1e30"] { XCTAssertNil(ByteCount.parse(bad), bad) }
        XCTAssertEqual(ByteCount.format(999), "999 B")
        XCTAssertEqual(ByteCount.format(97_849_000), "97.8 MB")
        XCTAssertEqual(ByteCount.format(1_000_000_000), "1.0 GB")
    }
}
