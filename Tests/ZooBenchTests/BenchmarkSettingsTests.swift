import SparseEngine
import XCTest
import ZooBench

final class BenchmarkSettingsTests: XCTestCase {
    func testStreamsAndThreadSplit() {
        XCTAssertEqual(BenchmarkSettings(cores: 4, scenario: .sync, streams: 3).effectiveStreams, 1)
        XCTAssertEqual(BenchmarkSettings(cores: 4, scenario: .sync).threadsPerSession, [4])
        XCTAssertEqual(BenchmarkSettings(cores: 4, scenario: .async).effectiveStreams, 2)
        XCTAssertEqual(BenchmarkSettings(cores: 1, scenario: .async).effectiveStreams, 1)
        XCTAssertEqual(BenchmarkSettings(cores: 5, scenario: .async, streams: 2).threadsPerSession, [3, 2])
        XCTAssertEqual(BenchmarkSettings(cores: 2, scenario: .async, streams: 3).threadsPerSession, [1, 1, 1])
        XCTAssertEqual(BenchmarkSettings(cores: 4, scenario: .elastic, streams: 3).threadsPerSession, [4])
        XCTAssertEqual(BenchmarkSettings(cores: 4, scenario: .elastic, streams: 3).effectiveStreams, 3)
    }

    func testDeepsparseNames() {
        XCTAssertEqual(BenchmarkScenario.allCases.map(\.exportName), ["singlestream", "multistream", "elastic"])
        XCTAssertEqual(BenchmarkScenario.allCases.map(\.schedulerName), ["Scheduler.single_stream", "Scheduler.multi_stream", "Scheduler.elastic"])
    }

    func testValidation() {
        XCTAssertThrowsError(try BenchmarkSettings(batchSize: 0, cores: 1).validate()) {
            XCTAssertEqual("\($0)", "batch size must be at least 1, got 0")
        }
        XCTAssertThrowsError(try BenchmarkSettings(cores: 0).validate())
        XCTAssertThrowsError(try BenchmarkSettings(cores: 1, streams: 0).validate())
        XCTAssertThrowsError(try BenchmarkSettings(cores: 1, seconds: 0).validate())
        XCTAssertThrowsError(try BenchmarkSettings(cores: 1, warmupSeconds: -1).validate())
        XCTAssertNoThrow(try BenchmarkSettings(cores: 1, seconds: 0.1, warmupSeconds: 0).validate())
    }
}
