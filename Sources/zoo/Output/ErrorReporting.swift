import ArgumentParser
import Foundation
import ZooCatalog
import ZooStub

/// zoo's exit statuses (docs/cli.md).
enum ExitStatus {
    /// Something failed: the message says what and what to do.
    static let failure: Int32 = 1
    /// The input was malformed: a stub, a catalog file, an argument.
    static let invalidInput: Int32 = 2
    /// The catalog has no such model, or nothing matched.
    static let notFound: Int32 = 3
}

/// A stub that parses but names no model in the catalog.
struct NotInCatalog: Error {
    let stub: Stub
    let nearest: [String]
}

/// Runs a command body and turns zoo's errors into one message on stderr and an exit status:
/// the one place errors are mapped for the whole command line.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as StubError {
        printError(error.description)
        throw ExitCode(ExitStatus.invalidInput)
    } catch let error as NotInCatalog {
        var message = "\(error.stub) is not in the catalog"
        if !error.nearest.isEmpty {
            message += "; the nearest known stubs are:\n" + error.nearest.map { "  \($0)" }.joined(separator: "\n")
        }
        printError(message)
        throw ExitCode(ExitStatus.notFound)
    } catch let error as CatalogError {
        printError(error.description)
        throw ExitCode(error.code == .invalidCatalogFile || error.code == .invalidInput ? ExitStatus.invalidInput : ExitStatus.failure)
    } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
        printError("no such file: \(error.userInfo[NSFilePathErrorKey] ?? "")")
        throw ExitCode(ExitStatus.invalidInput)
    }
}

/// Writes `zoo: error: MESSAGE` to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("zoo: error: \(message)\n".utf8))
}

/// Writes `zoo: warning: MESSAGE` to stderr.
func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("zoo: warning: \(message)\n".utf8))
}

/// Prints `value` as pretty JSON with sorted keys on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
