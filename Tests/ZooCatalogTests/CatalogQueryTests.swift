import Foundation
import XCTest
import ZooTestSupport
import ZooStub
@testable import ZooCatalog

/// Resolve, nearest stubs, search filters and benchmark results over the shipped catalog.
final class CatalogQueryTests: XCTestCase {
    private let directory = TemporaryDirectory()
    private lazy var catalog: Catalog = {
        let catalog = try! Catalog(path: directory.path("c.sqlite"))
        try! catalog.importShippedCatalogIfChanged()
        return catalog
    }()

    func testUnknownStubSuggestsTheNearest() throws {
        let stub = try Stub(parsing: "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned97-none")
        XCTAssertNil(try catalog.resolve(stub))
        let nearest = try catalog.nearestStubs(to: stub, limit: 2)
        XCTAssertEqual(nearest, [
            "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned90-none",
            "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned95-none",
        ])
    }

    func testQueryIsIgnoredWhenResolving() throws {
        let model = try catalog.resolve(Stub(parsing: "zoo:bert-base-wikipedia_bookcorpus-pruned90?recipe=transfer_text_classification"))
        XCTAssertEqual(model?.repoName, "bert-base-wikipedia_bookcorpus-pruned90")
    }

    func testSearchFilters() throws {
        let qa90 = try catalog.search(SearchFilter(task: "question_answering", minimumSparsity: 90))
        XCTAssertFalse(qa90.isEmpty)
        XCTAssertTrue(qa90.allSatisfy { $0.task == "question_answering" && ($0.sparsity ?? 0) >= 90 })

        let quantizedBert = try catalog.search(SearchFilter(architecture: "bert", quantized: true))
        XCTAssertFalse(quantizedBert.isEmpty)
        XCTAssertTrue(quantizedBert.allSatisfy { $0.architecture == "bert" && $0.quantized })
        let denseBert = try catalog.search(SearchFilter(architecture: "bert", quantized: false))
        XCTAssertTrue(denseBert.allSatisfy { !$0.quantized })
        XCTAssertEqual(
            Set(quantizedBert.map(\.id)).union(denseBert.map(\.id)),
            Set(try catalog.search(SearchFilter(architecture: "bert")).map(\.id)))

        let squad = try catalog.search(SearchFilter(dataset: "squad"))
        XCTAssertTrue(squad.contains { $0.dataset == "squad_wikipedia_bookcorpus" })
        XCTAssertTrue(squad.contains { $0.dataset == "squad" })
        XCTAssertFalse(squad.contains { $0.dataset == "sst2" })

        let text = try catalog.search(SearchFilter(text: "YOLOv5"))
        XCTAssertFalse(text.isEmpty)
        XCTAssertTrue(text.allSatisfy { $0.architecture == "yolov5" })
        XCTAssertEqual(try catalog.search(SearchFilter(domain: "cv", limit: 3)).count, 3)
        XCTAssertTrue(try catalog.search(SearchFilter(text: "no-such-model-anywhere")).isEmpty)
    }

    func testSearchTextMatchesAliasesToo() throws {
        let models = try catalog.search(SearchFilter(text: "pruned85.4block"))
        XCTAssertTrue(models.contains { $0.stub == "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni" })
    }

    func testBenchmarkResultsAreStoredByDigestAndShown() throws {
        let model = try XCTUnwrap(try catalog.resolve(Stub(parsing: "zoo:resnet_v1-50-imagenet-pruned95")))
        let digest = String(repeating: "ab", count: 32)
        try catalog.record(
            BenchmarkRecord(modelDigest: digest, engine: "zoo", scenario: "sync", batchSize: 16, numCores: 2, itemsPerSecond: 123.5,
                            latencyP99Ms: 150),
            modelID: model.id)
        let details = try catalog.details(of: model)
        XCTAssertEqual(details.benchmarks.map(\.itemsPerSecond), [123.5])
        XCTAssertEqual(try catalog.benchmarks(modelDigest: digest).first?.latencyP99Ms, 150)
        XCTAssertThrowsError(try catalog.record(BenchmarkRecord(modelDigest: "short", engine: "zoo", scenario: "sync", batchSize: 1, numCores: 1, itemsPerSecond: 1)))
    }

    func testEditDistance() {
        XCTAssertEqual(EditDistance.between(Array("kitten".utf8), Array("sitting".utf8)), 3)
        XCTAssertEqual(EditDistance.between([], Array("abc".utf8)), 3)
        XCTAssertEqual(EditDistance.between(Array("same".utf8), Array("same".utf8)), 0)
    }
}
