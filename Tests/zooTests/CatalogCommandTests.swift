import Foundation
import XCTest

/// `zoo catalog import|ls|rebuild`, and what every command does with a broken catalog.
final class CatalogCommandTests: XCTestCase {
    private let zoo = ZooProcess()
    override func tearDown() { zoo.remove() }

    private func writeCatalog(_ text: String) throws -> String {
        try FileManager.default.createDirectory(at: zoo.home, withIntermediateDirectories: true)
        let url = zoo.home.appendingPathComponent("mine.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testImportReportsWrongEntriesByIndexAndImportsTheRest() throws {
        let file = try writeCatalog("""
            {"format": "zoo-catalog", "version": 1, "namespace": "acme", "models": [
              {"stub": "zoo:mynet-imagenet-pruned90", "synthetic": true},
              {"stub": "zoo:broken-/x"},
              {"stub": "zoo:other-imagenet-base"}
            ]}
            """)
        let result = try zoo.run("catalog", "import", file)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "imported 2 models from \(file)\n")
        XCTAssertTrue(result.stderr.hasPrefix("zoo: error: entry 1 (zoo:broken-/x): "), result.stderr)
        let show = try ZooProcess.object(try zoo.run("show", "zoo:mynet-imagenet-pruned90", "--json"))
        XCTAssertEqual(show["namespace"] as? String, "acme")
        XCTAssertEqual(show["synthetic"] as? Bool, true)
        let again = try zoo.run("catalog", "import", file)
        XCTAssertTrue(again.stdout.contains("unchanged since its last import"), again.stdout)
        let sources = try zoo.run("catalog", "ls")
        XCTAssertTrue(sources.stdout.contains("shipped"))
        XCTAssertTrue(sources.stdout.contains(file))
    }

    func testMissingCatalogFile() throws {
        let result = try zoo.run("catalog", "import", "/nonexistent/catalog.json")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("/nonexistent/catalog.json"), result.stderr)
    }

    func testCorruptCatalogIsReportedAndRebuilt() throws {
        try FileManager.default.createDirectory(at: zoo.home, withIntermediateDirectories: true)
        let catalog = zoo.home.appendingPathComponent("catalog.sqlite")
        try Data(repeating: 0x5A, count: 4096).write(to: catalog)
        let broken = try zoo.run("search", "bert")
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("is corrupt or not a SQLite database; run `zoo catalog rebuild`"), broken.stderr)
        let rebuild = try zoo.run("catalog", "rebuild")
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertTrue(rebuild.stdout.contains("moved the old catalog to"), rebuild.stdout)
        XCTAssertEqual(try zoo.run("search", "bert").status, 0)
        let kept = try FileManager.default.contentsOfDirectory(atPath: zoo.home.path).filter { $0.hasPrefix("catalog.sqlite.broken-") }
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(try Data(contentsOf: zoo.home.appendingPathComponent(kept[0])), Data(repeating: 0x5A, count: 4096))
    }

    func testVersionListsTheLibraries() throws {
        let json = try ZooProcess.object(try zoo.run("version", "--json"))
        XCTAssertEqual(Set(json.keys), ["zoo", "sqlite", "libcurl", "libarchive"])
        XCTAssertTrue((json["sqlite"] as? String)?.hasPrefix("3.") ?? false)
    }
}
