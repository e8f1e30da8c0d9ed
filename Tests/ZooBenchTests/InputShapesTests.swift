import SparseEngine
import XCTest
import ZooBench

final class InputShapesTests: XCTestCase {
    private let image = ValueInfo(name: "input", dataType: .float, shape: [.symbolic("batch"), .fixed(3), .fixed(224), .fixed(224)])
    private let tokens = ValueInfo(name: "ids", dataType: .int64, shape: [.symbolic("batch"), .symbolic("sequence")])

    func testParse() throws {
        XCTAssertEqual(try InputShapes.parse("[1,3,224,224],[1, 128]"), [[1, 3, 224, 224], [1, 128]])
        XCTAssertEqual(try InputShapes.parse("[7]"), [[7]])
        // A scalar input (Silero VAD's sample rate) has the empty shape.
        XCTAssertEqual(try InputShapes.parse("[1,512],[],[2,1,128]"), [[1, 512], [], [2, 1, 128]])
        XCTAssertEqual(try InputShapes.parse("[]"), [[]])
        for bad in ["1,3", "[1,3", "[1,,3]", "[0,3]", "[a]", "[1],[-2]"] {
            XCTAssertThrowsError(try InputShapes.parse(bad), bad) {
                XCTAssertEqual(($0 as? BenchmarkError)?.code, .invalidArgument)
            }
        }
    }

    func testResolveFromDeclaredShapes() throws {
        XCTAssertEqual(try InputShapes.resolve([image], batchSize: nil, explicit: nil), [[1, 3, 224, 224]])
        XCTAssertEqual(try InputShapes.resolve([image, tokens], batchSize: 16, explicit: nil, dimensions: ["sequence": 128]),
                       [[16, 3, 224, 224], [16, 128]])
        XCTAssertEqual(try InputShapes.resolve([tokens], batchSize: nil, explicit: nil), [[1, 1]])
        let fixed = ValueInfo(name: "x", dataType: .float, shape: [.fixed(1), .fixed(4)])
        XCTAssertThrowsError(try InputShapes.resolve([fixed], batchSize: 8, explicit: nil)) {
            XCTAssertTrue("\($0)".contains("fixed batch dimension of 1"), "\($0)")
        }
        XCTAssertThrowsError(try InputShapes.resolve([ValueInfo(name: "y", dataType: .float, shape: nil)], batchSize: nil, explicit: nil))
    }

    func testResolveExplicit() throws {
        XCTAssertEqual(try InputShapes.resolve([image], batchSize: nil, explicit: [[4, 3, 32, 32]]), [[4, 3, 32, 32]])
        XCTAssertThrowsError(try InputShapes.resolve([image], batchSize: 2, explicit: [[4, 3, 32, 32]]))
        XCTAssertThrowsError(try InputShapes.resolve([image], batchSize: nil, explicit: [[4, 3]]))
        XCTAssertThrowsError(try InputShapes.resolve([image, tokens], batchSize: nil, explicit: [[4, 3, 32, 32]]))
    }

    func testRandomInputsHaveTheTypesShapesAndRanges() throws {
        let feeds = try RandomInputs.make(for: [image, tokens], shapes: [[2, 3, 4, 4], [2, 5]], seed: 7)
        XCTAssertEqual(feeds["input"]?.shape, [2, 3, 4, 4])
        XCTAssertEqual(feeds["ids"]?.dataType, .int64)
        let floats = try feeds["input"]!.scalars(Float.self)
        XCTAssertTrue(floats.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertGreaterThan(Set(floats).count, 90, "values should vary")
        XCTAssertTrue(try feeds["ids"]!.scalars(Int64.self).allSatisfy { $0 == 0 || $0 == 1 })
        let again = try RandomInputs.make(for: [image, tokens], shapes: [[2, 3, 4, 4], [2, 5]], seed: 7)
        XCTAssertEqual(try again["input"]!.scalars(Float.self), floats)
    }
}
