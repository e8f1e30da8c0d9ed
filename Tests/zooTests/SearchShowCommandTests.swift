import Foundation
import XCTest

/// `zoo search` and `zoo show` over the shipped catalog.
final class SearchShowCommandTests: XCTestCase {
    private let zoo = ZooProcess()
    override func tearDown() { zoo.remove() }

    func testSearchFiltersAndJSON() throws {
        let result = try zoo.run("search", "--task", "question_answering", "--sparsity", "90", "--quantized", "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try ZooProcess.object(result)
        let models = try XCTUnwrap(json["models"] as? [[String: Any]])
        XCTAssertEqual(json["count"] as? Int, models.count)
        XCTAssertFalse(models.isEmpty)
        for model in models {
            XCTAssertEqual(model["task"] as? String, "question_answering")
            XCTAssertGreaterThanOrEqual(model["sparsity"] as? Int ?? 0, 90)
            XCTAssertEqual(model["quantized"] as? Bool, true)
        }
    }

    func testSearchTextTable() throws {
        let result = try zoo.run("search", "yolov8")
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("STUB") ?? false)
        XCTAssertTrue(lines.dropFirst().dropLast().allSatisfy { $0.contains("yolov8") }, result.stdout)
        XCTAssertEqual(lines.last, "\(lines.count - 2) models")
    }

    func testSearchWithNoMatchExitsThree() throws {
        let result = try zoo.run("search", "no-such-model")
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("no model in the catalog matches"))
    }

    func testSearchRejectsABadPercentage() throws {
        let result = try zoo.run("search", "--sparsity", "150")
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--sparsity takes a percentage from 0 to 100"), result.stderr)
    }

    func testShowPrintsTheRecord() throws {
        let result = try zoo.run("show", "zoo:opt-1.3b-opt_pretrain-base")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("model         neuralmagic/opt-1.3b-opt_pretrain-base"), result.stdout)
        XCTAssertTrue(result.stdout.contains("files: none listed"))
        let json = try ZooProcess.object(try zoo.run("show", "zoo:opt-1.3b-opt_pretrain-base", "--json"))
        XCTAssertEqual(json["task"] as? String, "text_generation")
        XCTAssertNotNil(json["files"] as? [Any])
        XCTAssertNotNil(json["benchmarks"] as? [Any])
    }

    func testShowUnknownExitsThreeAndSuggests() throws {
        let result = try zoo.run("show", "zoo:opt-1.3b-opt_pretrain-bas")
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.hasPrefix("zoo: error: zoo:opt-1.3b-opt_pretrain-bas is not in the catalog; the nearest known stubs are:\n  zoo:opt-1.3b-opt_pretrain-base"), result.stderr)
    }
}
