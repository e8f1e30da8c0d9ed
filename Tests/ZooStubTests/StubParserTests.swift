import XCTest
import ZooStub

/// The fields each form splits into, and the canonical text.
final class StubParserTests: XCTestCase {
    func testLongFormFields() throws {
        let stub = try Stub(parsing: "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet-augmented/pruned95_quant-none-vnni")
        guard case .long(let long) = stub.body else { return XCTFail("expected the long form") }
        XCTAssertEqual(long.domain, "cv")
        XCTAssertEqual(long.subDomain, "classification")
        XCTAssertEqual(long.architecture, "resnet_v1")
        XCTAssertEqual(long.subArchitecture, "50")
        XCTAssertEqual(long.framework, "pytorch")
        XCTAssertEqual(long.repo, "sparseml")
        XCTAssertEqual(long.dataset, "imagenet")
        XCTAssertEqual(long.trainingScheme, "augmented")
        XCTAssertEqual(long.sparseTag, SparseTag(name: "pruned95_quant", category: "none", target: "vnni"))
        XCTAssertTrue(stub.query.isEmpty)
    }

    func testLongFormOptionalPartsAbsent() throws {
        let stub = try Stub(parsing: "zoo:cv/classification/mnistnet/pytorch/sparseml/mnist/base")
        guard case .long(let long) = stub.body else { return XCTFail("expected the long form") }
        XCTAssertNil(long.subArchitecture)
        XCTAssertNil(long.trainingScheme)
        XCTAssertEqual(long.sparseTag, SparseTag(name: "base"))
        XCTAssertEqual(stub.description, "zoo:cv/classification/mnistnet/pytorch/sparseml/mnist/base")
    }

    func testShortFormThreeFourAndFiveSegments() throws {
        let three = try Stub(parsing: "zoo:mobilebert-squad_wikipedia_bookcorpus-pruned50_quantized")
        XCTAssertEqual(three.body, .short(ShortStub(
            architecture: "mobilebert", sourceDataset: "squad_wikipedia_bookcorpus", sparseTag: "pruned50_quantized")))
        let four = try Stub(parsing: "zoo:resnet_v1-50-imagenet-pruned85.4block_quantized")
        XCTAssertEqual(four.body, .short(ShortStub(
            architecture: "resnet_v1", subArchitecture: "50", sourceDataset: "imagenet",
            sparseTag: "pruned85.4block_quantized")))
        let five = try Stub(parsing: "zoo:yolov5-s-voc-coco-pruned55")
        guard case .short(let short) = five.body else { return XCTFail("expected the short form") }
        XCTAssertEqual(short.trainingDataset, "coco")
        XCTAssertEqual(short.repoName, "yolov5-s-voc-coco-pruned55")
    }

    func testQueryIsParsedAndWrittenInCanonicalOrder() throws {
        let stub = try Stub(parsing: "zoo:bert-base-wikipedia_bookcorpus-pruned90?checkpoint=preqat&recipe=transfer_learn")
        XCTAssertEqual(stub.query[.recipe], "transfer_learn")
        XCTAssertEqual(stub.query[.checkpoint], "preqat")
        XCTAssertEqual(stub.query.recipeName, "transfer_learn")
        XCTAssertEqual(stub.description, "zoo:bert-base-wikipedia_bookcorpus-pruned90?recipe=transfer_learn&checkpoint=preqat")
        XCTAssertEqual(stub.withoutQuery.description, "zoo:bert-base-wikipedia_bookcorpus-pruned90")
    }

    func testEmptyRecipeValueIsAllowed() throws {
        let stub = try Stub(parsing: "zoo:a-b-c?recipe=")
        XCTAssertEqual(stub.query[.recipe], "")
        XCTAssertEqual(stub.description, "zoo:a-b-c?recipe=")
    }

    func testLegacyRecipeTypeValueMayContainADash() throws {
        let stub = try Stub(parsing: "zoo:a-b-c?recipe_type=transfer-token_classification")
        XCTAssertEqual(stub.query.recipeName, "transfer-token_classification")
    }
}
