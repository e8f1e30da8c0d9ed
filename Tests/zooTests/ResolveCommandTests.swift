import Foundation
import XCTest

/// `zoo resolve`: text and JSON output, exit statuses, errors on stderr.
final class ResolveCommandTests: XCTestCase {
    private let zoo = ZooProcess()
    override func tearDown() { zoo.remove() }

    func testKnownStubResolvesWithItsAlias() throws {
        let result = try zoo.run("resolve", "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("sparse_target     vnni"), result.stdout)
        XCTAssertTrue(result.stdout.contains("catalog           neuralmagic/resnet_v1-50-imagenet-pruned85.4block_quantized"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testJSONHasTheDocumentedFields() throws {
        let result = try zoo.run("resolve", "zoo:resnet_v1-50-imagenet-pruned85.4block_quantized?recipe=transfer", "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try ZooProcess.object(result)
        XCTAssertEqual(Set(json.keys), ["input", "canonical", "form", "fields", "query", "sparsification", "model", "nearest"])
        XCTAssertEqual(json["form"] as? String, "short")
        XCTAssertEqual(json["canonical"] as? String, "zoo:resnet_v1-50-imagenet-pruned85.4block_quantized?recipe=transfer")
        XCTAssertEqual((json["query"] as? [String: Any])?["recipe"] as? String, "transfer")
        XCTAssertEqual((json["sparsification"] as? [String: Any])?["sparsity"] as? Int, 85)
        let model = try XCTUnwrap(json["model"] as? [String: Any])
        XCTAssertEqual(model["repo_name"] as? String, "resnet_v1-50-imagenet-pruned85.4block_quantized")
        XCTAssertEqual(model["stub"] as? String, "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni")
        // The short stub is the model's own repoName; only the long one is listed in the catalog.
        XCTAssertEqual(model["stubs"] as? [String], ["zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni"])
    }

    func testUnknownStubExitsThreeWithTheNearest() throws {
        let result = try zoo.run("resolve", "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned97-none", "--json")
        XCTAssertEqual(result.status, 3)
        let json = try ZooProcess.object(result)
        XCTAssertTrue(json["model"] is NSNull)
        XCTAssertEqual((json["nearest"] as? [String])?.first, "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned90-none")
        let text = try zoo.run("resolve", "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned97-none")
        XCTAssertTrue(text.stdout.contains("not in the catalog; the nearest known stubs are:"), text.stdout)
    }

    func testMalformedStubExitsTwoWithACaret() throws {
        let result = try zoo.run("resolve", "zoo:cv/classification/resnet v1-50/pytorch/sparseml/imagenet/base-none")
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
            zoo: error: invalid stub at column 29 (architecture): found ' ', expected a letter, digit, '.' or '_', or '-' or '/'
              zoo:cv/classification/resnet v1-50/pytorch/sparseml/imagenet/base-none
                                          ^

            """)
    }

    func testAPathIsNotAStub() throws {
        let result = try zoo.run("resolve", "models/resnet.onnx")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("expected the prefix 'zoo:'"), result.stderr)
    }
}
