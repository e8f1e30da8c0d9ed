import Foundation
import XCTest
import ZooDigest

/// SHA-256 against the FIPS 180-4 examples, fed whole and in pieces.
final class SHA256Tests: XCTestCase {
    func testKnownDigests() {
        XCTAssertEqual(SHA256.hex(of: Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testStreamingInPiecesEqualsOneShot() {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 4096, 100_000] where offset < data.count {
            let end = min(data.count, offset + size)
            hasher.update(data[offset..<end])
            offset = end
        }
        XCTAssertEqual(hasher.finalize(), SHA256.hex(of: data))
    }
}
