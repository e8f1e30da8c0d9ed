import Foundation
import XCTest
import ZooCatalog
import ZooTestSupport
@testable import ZooServer

/// The daemon's kept catalog answers: computed once however many ask at once, kept while the catalog is
/// unchanged, dropped when any connection commits, never kept when the computation fails.
final class AnswerCacheTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.path("catalog.sqlite") }

    override func setUpWithError() throws {
        directory = TemporaryDirectory()
        _ = try Catalog(path: path)
    }

    func testConcurrentAsksComputeOnceAndTheAnswerIsKeptUntilTheCatalogChanges() async throws {
        let cache = AnswerCache(path: path)
        let computed = Counter()
        let compute: @Sendable () async throws -> String = {
            computed.increment()
            try await Task.sleep(for: .milliseconds(100))
            return "{\"answer\":1}"
        }
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { String(buffer: try await cache.answer("k", compute: compute)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(answers, Array(repeating: "{\"answer\":1}\n", count: 20))
        XCTAssertEqual(computed.value, 1)
        _ = try await cache.answer("k", compute: compute)
        XCTAssertEqual(computed.value, 1, "kept")

        try Database(path: path).run("INSERT INTO catalog_sources (name, sha256, models) VALUES ('x', 'y', 0)")
        _ = try await cache.answer("k", compute: compute)
        XCTAssertEqual(computed.value, 2, "dropped after another connection's commit")
    }

    func testAFailedComputationIsNotKept() async throws {
        let cache = AnswerCache(path: path)
        let computed = Counter()
        let failing: @Sendable () async throws -> String = {
            computed.increment()
            throw APIError.badRequest("no")
        }
        for _ in 0..<2 {
            do {
                _ = try await cache.answer("k", compute: failing)
                XCTFail("the error is passed on")
            } catch let error as APIError {
                XCTAssertEqual(error.message, "no")
            }
        }
        XCTAssertEqual(computed.value, 2)
    }
}

/// A count shared by concurrent tasks.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
