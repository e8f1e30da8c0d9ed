import Foundation
import XCTest
import ZooTestSupport
import ZooStub
@testable import ZooCatalog

/// The shipped catalog and users' catalogs import idempotently; wrong entries are reported by index.
final class CatalogImportTests: XCTestCase {
    private let directory = TemporaryDirectory()
    private lazy var catalog = try! Catalog(path: directory.path("c.sqlite"))

    private static let realStubs: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ZooStubTests/Fixtures/real_stubs.txt")
        return (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }()

    private func json(_ models: String, extra: String = "") -> Data {
        Data(#"{"format": "zoo-catalog", "version": 1 \#(extra), "models": [\#(models)]}"#.utf8)
    }

    func testShippedCatalogImportsWithoutProblemsAndResolvesEveryRealStub() throws {
        let report = try XCTUnwrap(try catalog.importShippedCatalogIfChanged())
        XCTAssertEqual(report.problems.map(\.description), [])
        XCTAssertGreaterThan(report.imported, 100)
        XCTAssertGreaterThan(Self.realStubs.count, 100)
        for text in Self.realStubs {
            let stub = try Stub(parsing: text, prefix: .optional)
            XCTAssertNotNil(try catalog.resolve(stub), "\(text) does not resolve")
        }
    }

    func testShippedCatalogIsImportedOnceUntilItChanges() throws {
        XCTAssertNotNil(try catalog.importShippedCatalogIfChanged())
        XCTAssertNil(try catalog.importShippedCatalogIfChanged())
        let count = try catalog.modelCount()
        let forced = try catalog.importCatalog(data: Catalog.shippedCatalogData, source: "shipped", force: true)
        XCTAssertFalse(forced.unchanged)
        XCTAssertEqual(try catalog.modelCount(), count)
    }

    func testKnownAliasesLinkV1StubsToV2Names() throws {
        try catalog.importShippedCatalogIfChanged()
        let v1 = try catalog.resolve(Stub(parsing: "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned85_quant-none-vnni"))
        let v2 = try catalog.resolve(Stub(parsing: "zoo:resnet_v1-50-imagenet-pruned85.4block_quantized"))
        XCTAssertEqual(v1?.id, v2?.id)
        XCTAssertEqual(v1?.repoNameSource, "observed")
        let opt = try catalog.resolve(Stub(parsing: "zoo:nlg/text_generation/opt-1.3b/pytorch/huggingface/opt_pretrain/pruned50_quantW8A8-none"))
        XCTAssertEqual(opt?.repoName, "opt-1.3b-opt_pretrain-pruned50_quantW8A8")
        let codegen = try catalog.resolve(Stub(parsing: "zoo:nlg/text_generation/codegen_mono-350m/pytorch/huggingface/bigpython_bigquery_thepile/base-none"))
        XCTAssertEqual(codegen?.repoName, "codegen_mono-350m-bigpython_bigquery_thepile-base")
    }

    func testWrongEntriesAreReportedByIndexAndTheRestImported() throws {
        let data = json("""
            {"stub": "zoo:good-imagenet-pruned90", "files": [{"name": "model.onnx", "size": 10, "sha256": "\(String(repeating: "a", count: 64))"}]},
            {"stub": "zoo:bad stub-x-y"},
            {"stub": "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/base-none", "repo_name": "r50", "fields": {"sub_domain": "detection"}},
            {"stub": "zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/base-none"},
            {"stub": "zoo:a-b-c", "namespace": "../etc"},
            {"stub": "zoo:a-b-d", "files": [{"name": "../../evil", "size": 1}]},
            {"stub": "zoo:a-b-e", "files": [{"name": "model.onnx", "sha256": "XYZ"}]},
            {"stub": 42},
            {"stub": "zoo:a-b-f?recipe=x"},
            {"stub": "zoo:a-b-g", "files": [{"name": "m.onnx", "size": -5}]},
            {"stub": "zoo:second-imagenet-base"}
            """)
        let report = try catalog.importCatalog(data: data, source: "/tmp/user.json")
        XCTAssertEqual(report.imported, 2)
        XCTAssertEqual(report.problems.map(\.index), [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let messages = report.problems.map(\.description)
        XCTAssertEqual(messages[0], "entry 1 (zoo:bad stub-x-y): stub 'zoo:bad stub-x-y': invalid stub at column 8 (short stub segment 1): found ' ', expected a letter, digit, '.' or '_', or '-' or end of stub")
        XCTAssertTrue(messages[1].hasSuffix("field 'sub_domain' is 'detection' but the stub says 'classification'"), messages[1])
        XCTAssertTrue(messages[2].contains("needs \"repo_name\""), messages[2])
        XCTAssertTrue(messages[3].contains("namespace '../etc'"), messages[3])
        XCTAssertTrue(messages[4].contains("'../../evil'"), messages[4])
        XCTAssertTrue(messages[5].contains("64 lower-case hex digits"), messages[5])
        XCTAssertEqual(messages[6], "entry 7: expected String at models[7].stub")
        XCTAssertTrue(messages[7].contains("has a query"), messages[7])
        XCTAssertTrue(messages[8].contains("negative size"), messages[8])
        let good = try XCTUnwrap(try catalog.resolve(Stub(parsing: "zoo:good-imagenet-pruned90")))
        XCTAssertEqual(try catalog.details(of: good).files.first?.size, 10)
        XCTAssertNotNil(try catalog.resolve(Stub(parsing: "zoo:second-imagenet-base")))
        XCTAssertNil(try catalog.resolve(Stub(parsing: "zoo:a-b-d")))
    }

    func testReimportUpdatesAndRemovesWhatTheFileNoLongerLists() throws {
        _ = try catalog.importCatalog(data: json(#"{"stub": "zoo:one-x-base"}, {"stub": "zoo:two-x-base"}"#), source: "u")
        XCTAssertEqual(try catalog.importCatalog(data: json(#"{"stub": "zoo:one-x-base"}, {"stub": "zoo:two-x-base"}"#), source: "u").unchanged, true)
        let report = try catalog.importCatalog(data: json(#"{"stub": "zoo:one-x-base", "display_name": "One"}"#), source: "u")
        XCTAssertEqual(report.removed, 1)
        XCTAssertEqual(try catalog.resolve(Stub(parsing: "zoo:one-x-base"))?.displayName, "One")
        XCTAssertNil(try catalog.resolve(Stub(parsing: "zoo:two-x-base")))
    }

    func testUserCatalogsOverrideTheShippedOneButNotTheOtherWayRound() throws {
        try catalog.importShippedCatalogIfChanged()
        let stub = try Stub(parsing: "zoo:resnet_v1-50-imagenet-pruned95")
        let user = json(#"{"stub": "zoo:resnet_v1-50-imagenet-pruned95", "display_name": "mine", "files": [{"name": "model.onnx", "url": "http://127.0.0.1/m.onnx"}]}"#)
        _ = try catalog.importCatalog(data: user, source: "/home/me/zoo.json")
        XCTAssertEqual(try catalog.resolve(stub)?.source, "/home/me/zoo.json")
        let reshipped = try catalog.importCatalog(data: Catalog.shippedCatalogData, source: "shipped", force: true)
        XCTAssertEqual(reshipped.skipped, ["neuralmagic/resnet_v1-50-imagenet-pruned95 (defined by /home/me/zoo.json)"])
        XCTAssertEqual(try catalog.resolve(stub)?.displayName, "mine")
        XCTAssertEqual(reshipped.problems.count, 0)
    }

    func testUnreadableCatalogFilesAreRefusedWhole() throws {
        XCTAssertThrowsError(try catalog.importCatalog(data: Data("{not json".utf8), source: "x.json")) {
            XCTAssertEqual(($0 as? CatalogError)?.code, .invalidCatalogFile)
            XCTAssertTrue(($0 as? CatalogError)?.message.hasPrefix("x.json is not a readable zoo catalog") ?? false)
        }
        XCTAssertThrowsError(try catalog.importCatalog(data: Data(#"{"format": "other", "version": 1, "models": []}"#.utf8), source: "x.json")) {
            XCTAssertEqual(($0 as? CatalogError)?.message, "x.json is not a zoo catalog (format is 'other', expected 'zoo-catalog')")
        }
        XCTAssertThrowsError(try catalog.importCatalog(data: Data(#"{"format": "zoo-catalog", "version": 7, "models": []}"#.utf8), source: "x.json"))
        XCTAssertEqual(try catalog.modelCount(), 0)
    }
}
