import ZooCatalog
import ZooStore
import ZooStub

/// Turns the daemon's `{"error": {"code", "message", "nearest"}}` back into the error the command would have
/// thrown in-process, so that `reportingErrors` prints the same message with the same exit status.
enum DaemonFailure {
    static func error(_ object: [String: Any], stub: Stub?) -> any Error {
        let error = object["error"] as? [String: Any] ?? [:]
        let code = error["code"] as? String ?? "api.internal"
        let message = error["message"] as? String ?? "the zoo daemon failed without saying why"
        if code == "catalog.notFound", let stub {
            return NotInCatalog(stub: stub, nearest: error["nearest"] as? [String] ?? [])
        }
        if code.hasPrefix("store."), let storeCode = StoreError.Code(rawValue: String(code.dropFirst("store.".count))) {
            return StoreError(storeCode, message)
        }
        let invalid = code.hasPrefix("stub.") || code == "api.badRequest" || code == "catalog.invalidInput"
        return ExitCodeMessage(status: invalid ? ExitStatus.invalidInput : ExitStatus.failure, message: message)
    }
}
