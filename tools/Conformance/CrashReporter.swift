#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names the case that was running when the process dies of a signal (a trap or a bad memory
/// access in the engine), so a crash in a run of hundreds of cases points at its case.
/// The handler only calls `write` and re-raises, which is safe inside a signal handler.
enum CrashReporter {
    private static let capacity = 512
    private static let buffer: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    private static var length = 0

    /// Installs the handler for the fatal signals.
    static func install() {
        _ = buffer
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT] {
            signal(sig) { sig in
                CrashReporter.reportCrash()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Records the case about to run (the message printed if it crashes).
    static func running(_ name: String) {
        let message = Array("\nzoo-conformance: crashed while running case \(name)\n".utf8.prefix(capacity))
        message.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: $0.count) }
        }
        length = message.count
    }

    private static func reportCrash() {
        if length > 0 { _ = write(2, buffer, length) }
    }
}
