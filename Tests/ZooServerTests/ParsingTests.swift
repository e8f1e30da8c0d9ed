import XCTest
@testable import ZooServer

/// The small parsers of the daemon: listen addresses, Range headers, core sets, and the GraphQL that
/// sparsezoo writes.
final class ParsingTests: XCTestCase {
    func testListenAddressesAndWhetherTheyAreLoopback() throws {
        XCTAssertEqual(try ListenAddress(parsing: "127.0.0.1:8080"), ListenAddress(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(try ListenAddress(parsing: "[::1]:9"), ListenAddress(host: "::1", port: 9))
        XCTAssertTrue(try ListenAddress(parsing: "127.3.4.5:1").isLoopback)
        XCTAssertTrue(try ListenAddress(parsing: "localhost:1").isLoopback)
        XCTAssertFalse(try ListenAddress(parsing: "0.0.0.0:1").isLoopback)
        XCTAssertFalse(try ListenAddress(parsing: "[::]:1").isLoopback)
        XCTAssertFalse(try ListenAddress(parsing: "127.example.com:1").isLoopback)
        for bad in ["8080", ":8080", "host:", "host:99999", "[::1]8080"] {
            XCTAssertThrowsError(try ListenAddress(parsing: bad), bad)
        }
        XCTAssertEqual(try DaemonEndpoint.parse("unix:/tmp/z.sock"), .unix("/tmp/z.sock"))
        XCTAssertEqual(try DaemonEndpoint.parse("http://127.0.0.1:80/"), .tcp(host: "127.0.0.1", port: 80))
    }

    func testRangeHeaders() throws {
        XCTAssertEqual(try ByteRange.resolve("bytes=0-9", size: 100)?.get(), 0...9)
        XCTAssertEqual(try ByteRange.resolve("bytes=90-", size: 100)?.get(), 90...99)
        XCTAssertEqual(try ByteRange.resolve("bytes=-5", size: 100)?.get(), 95...99)
        XCTAssertEqual(try ByteRange.resolve("bytes=50-500", size: 100)?.get(), 50...99, "sparsezoo asks one byte past the end")
        if case .success = ByteRange.resolve("bytes=100-", size: 100) { XCTFail("a start past the end is 416") }
        XCTAssertNil(ByteRange.resolve(nil, size: 100))
        XCTAssertNil(ByteRange.resolve("bytes=0-1,5-6", size: 100), "several ranges: the whole file")
        XCTAssertNil(ByteRange.resolve("bytes=9-3", size: 100))
        XCTAssertNil(ByteRange.resolve("items=0-3", size: 100))
    }

    func testCoreSets() throws {
        XCTAssertEqual(try CoreSet(parsing: "0-3").cpus, [0, 1, 2, 3])
        XCTAssertEqual(try CoreSet(parsing: "4,0-1,1").description, "0-1,4")
        for bad in ["", "3-1", "a", "-1", "1-2-3"] { XCTAssertThrowsError(try CoreSet(parsing: bad), bad) }
    }

    func testTheQueriesSparsezooSendsParse() throws {
        // research/sparsezoo.md §2.2, with its odd spacing and trailing commas.
        let long = try GraphQLDocument(parsing: """
            {
                models (domain: "cv",task: "classification",architecture: "resnet_v1",subArchitecture: "50",framework: "pytorch",repo: "sparseml",sourceDataset: "imagenet",sparseTag: "pruned95_quant-none-vnni",)
                    {
                       modelId modelOnnxSizeCompressedBytes files(version: 2) { displayName downloadUrl fileSize fileType modelId } benchmarkResults { batchSize deviceInfo numCores recordedUnits recordedValue } trainingResults { datasetName datasetType recordedUnits recordedValue } repoName repoNamespace
                    }
            }
            """)
        let models = try XCTUnwrap(long.fields.first)
        XCTAssertEqual(models.name, "models")
        XCTAssertEqual(models.arguments.map(\.name), ["domain", "task", "architecture", "subArchitecture", "framework", "repo", "sourceDataset", "sparseTag"])
        XCTAssertEqual(models.arguments.last?.value, .string("pruned95_quant-none-vnni"))
        XCTAssertEqual(models.selection?.map(\.name), ["modelId", "modelOnnxSizeCompressedBytes", "files", "benchmarkResults", "trainingResults", "repoName", "repoNamespace"])
        XCTAssertEqual(models.selection?[2].arguments.first?.value, .int(2))
        XCTAssertEqual(models.selection?[2].selection?.count, 5)

        let named = try GraphQLDocument(parsing: #"query Q { m: models(repoName: "a\"b", isPubliclyVisible: false) { repoName } }"#)
        XCTAssertEqual(named.fields.first?.responseKey, "m")
        XCTAssertEqual(named.fields.first?.arguments.first?.value, .string("a\"b"))
        XCTAssertEqual(named.fields.first?.arguments.last?.value, .bool(false))
        for bad in ["{ models (repoName: ) { x } }", "{ }", "models { x }", "{ models { x }", "{ models (a: \"b) { x } }"] {
            XCTAssertThrowsError(try GraphQLDocument(parsing: bad), bad)
        }
    }
}
