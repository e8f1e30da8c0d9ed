import Foundation
import XCTest
import ZooStub

/// Every stub collected from sparsezoo, deepsparse and their docs parses and formats back unchanged.
final class RealStubsTests: XCTestCase {
    static let realStubs: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/real_stubs.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }()

    func testFixtureIsThere() {
        XCTAssertGreaterThan(Self.realStubs.count, 100)
    }

    func testEveryRealStubParsesAndRoundTrips() throws {
        for text in Self.realStubs {
            let stub = try Stub(parsing: text, prefix: .optional)
            let canonical = text.hasPrefix("zoo:") ? text : "zoo:" + text
            XCTAssertEqual(stub.description, canonical, "round trip of \(text)")
            XCTAssertEqual(try Stub(parsing: stub.description), stub, "reparse of \(text)")
        }
    }

    func testRealStubsWithoutPrefixAreRefusedOnTheCommandLine() {
        for text in Self.realStubs where !text.hasPrefix("zoo:") {
            XCTAssertThrowsError(try Stub(parsing: text)) { error in
                XCTAssertEqual((error as? StubError)?.column, 1)
            }
        }
    }

    func testRealStubFormsAreRecognised() throws {
        let forms = try Self.realStubs.map { try Stub(parsing: $0, prefix: .optional).body }
        let long = forms.filter { if case .long = $0 { return true } else { return false } }.count
        XCTAssertGreaterThan(long, 80)
        XCTAssertGreaterThan(forms.count - long, 20)
    }
}
