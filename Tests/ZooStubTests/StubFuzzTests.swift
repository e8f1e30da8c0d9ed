import XCTest
import ZooStub

/// Random and mutated strings never crash the parser, and whatever parses round-trips.
final class StubFuzzTests: XCTestCase {
    /// A small deterministic generator so a failure reproduces.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private let alphabet: [Character] = Array("zoo:/-?&=._abcAZ09 \u{0}\u{e9}\u{1F600}%^`[]\\\n")

    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let stub = try Stub(parsing: text, prefix: .optional)
            XCTAssertEqual(try Stub(parsing: stub.description), stub, "round trip of \(text.debugDescription)",
                           file: file, line: line)
        } catch let error as StubError {
            XCTAssertGreaterThanOrEqual(error.column, 1)
            XCTAssertLessThanOrEqual(error.column, text.unicodeScalars.count + 1)
            XCTAssertFalse(error.description.isEmpty)
        } catch {
            XCTFail("unexpected error \(error) for \(text.debugDescription)", file: file, line: line)
        }
    }

    func testRandomStrings() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...60, using: &rng)
            check(String((0..<length).map { _ in alphabet.randomElement(using: &rng)! }))
        }
    }

    func testMutatedRealStubs() {
        var rng = SplitMix64(state: 7)
        let seeds = RealStubsTests.realStubs
        XCTAssertFalse(seeds.isEmpty)
        for _ in 0..<20_000 {
            var chars = Array(seeds.randomElement(using: &rng)!)
            for _ in 0...Int.random(in: 0...3, using: &rng) where !chars.isEmpty {
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(alphabet.randomElement(using: &rng)!, at: at)
                default: chars[at] = alphabet.randomElement(using: &rng)!
                }
            }
            check(String(chars))
        }
    }
}
