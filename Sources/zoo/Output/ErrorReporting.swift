import ArgumentParser
import Foundation
import SparseEngine
import ZooArchive
import ZooBench
import ZooCatalog
import ZooStore
import ZooStub
import ZooTransfer

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

/// A failure that already says everything, with the exit status it maps to.
struct ExitCodeMessage: Error {
    let status: Int32
    let message: String
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
    } catch let error as StoreError {
        printError(error.description)
        switch error.code {
        case .notCached: throw ExitCode(ExitStatus.notFound)
        case .invalidInput: throw ExitCode(ExitStatus.invalidInput)
        default: throw ExitCode(ExitStatus.failure)
        }
    } catch let error as TransferError {
        printError(error.description)
        throw ExitCode(ExitStatus.failure)
    } catch let error as ArchiveError {
        printError(error.description)
        throw ExitCode(ExitStatus.failure)
    } catch let error as EngineError {
        printError(error.message)
        throw ExitCode(engineInputProblems.contains(error.code) ? ExitStatus.invalidInput : ExitStatus.failure)
    } catch let error as BenchmarkError {
        printError(error.message)
        throw ExitCode(ExitStatus.invalidInput)
    } catch let error as EngineCommandError {
        printError(error.message)
        throw ExitCode(error.code == .cannotWrite ? ExitStatus.failure : ExitStatus.invalidInput)
    } catch let error as ExitCodeMessage {
        printError(error.message)
        throw ExitCode(error.status)
    } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
        printError("no such file: \(error.userInfo[NSFilePathErrorKey] ?? "")")
        throw ExitCode(ExitStatus.invalidInput)
    }
}

/// Engine failures caused by what the user gave (a model or input file, shapes), not by the engine.
private let engineInputProblems: [EngineError.Code] = [.malformedModel, .invalidModel, .invalidTensorFile, .invalidInput, .shapeMismatch, .externalData]

/// Writes `zoo: error: MESSAGE` to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("zoo: error: \(message)\n".utf8))
}

/// Writes `zoo: warning: MESSAGE` to stderr.
func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("zoo: warning: \(message)\n".utf8))
}

/// Prints `value` as one line of JSON with `extra` keys merged in: the last line of an NDJSON stream.
func printJSONLine<T: Encodable>(_ extra: [String: String], _ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var object = try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? [String: Any] ?? [:]
    object.merge(extra) { _, new in new }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

/// Prints `value` as pretty JSON with sorted keys on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
