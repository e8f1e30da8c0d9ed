import Foundation
import ZooDigest

/// Stable file names derived from text: the hex SHA-256 of its UTF-8 bytes.
enum SHA256Name {
    static func of(_ text: String) -> String { SHA256.hex(of: Data(text.utf8)) }
}
