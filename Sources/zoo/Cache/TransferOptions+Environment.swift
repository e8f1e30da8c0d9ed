import Foundation
import ZooTransfer

extension TransferOptions {
    /// The defaults, with the transfer tuning variables of docs/cli.md applied: `ZOO_MAX_PARALLEL`,
    /// `ZOO_MAX_ATTEMPTS`, `ZOO_BACKOFF` and `ZOO_MAX_BACKOFF` (seconds), `ZOO_CONNECT_TIMEOUT`, `ZOO_STALL_TIMEOUT`.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TransferOptions {
        var options = TransferOptions()
        func number(_ name: String) -> Double? { environment[name].flatMap(Double.init).flatMap { $0 >= 0 ? $0 : nil } }
        if let value = number("ZOO_MAX_PARALLEL"), value >= 1 { options.maxParallel = Int(value) }
        if let value = number("ZOO_MAX_ATTEMPTS"), value >= 1 { options.maxAttempts = Int(value) }
        if let value = number("ZOO_BACKOFF") { options.initialBackoff = value }
        if let value = number("ZOO_MAX_BACKOFF") { options.maxBackoff = value }
        if let value = number("ZOO_CONNECT_TIMEOUT"), value > 0 { options.connectTimeout = value }
        if let value = number("ZOO_STALL_TIMEOUT"), value > 0 { options.stallTimeout = value }
        return options
    }
}
