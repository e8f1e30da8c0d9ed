import CCrypto
import Foundation

/// A streaming SHA-256 (OpenSSL's libcrypto, which uses the CPU's SHA instructions where present).
///
/// Feed bytes with ``update(_:)`` as they arrive, then read ``finalize()`` once.
public final class SHA256 {
    private let context: OpaquePointer

    /// Starts a new digest.
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto could not start a SHA-256 digest (out of memory)")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `count` bytes at `bytes`.
    public func update(_ bytes: UnsafeRawPointer, count: Int) {
        EVP_DigestUpdate(context, bytes, count)
    }

    /// Adds the bytes of `buffer`.
    public func update(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress { update(base, count: buffer.count) }
    }

    /// Adds the bytes of `data`.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lower-case hex digits. The hasher cannot be used afterwards.
    public func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of `data` in one call.
    public static func hex(of data: Data) -> String {
        let hasher = SHA256()
        hasher.update(data)
        return hasher.finalize()
    }
}
