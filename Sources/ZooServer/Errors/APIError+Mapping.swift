import Hummingbird
import SparseEngine
import ZooBench
import ZooCatalog
import ZooStore
import ZooStub
import ZooTransfer

extension APIError {
    /// The API's answer for any error the store, catalog, stub parser or engine throws.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StubError:
            return APIError(.badRequest, code: "stub.invalid", error.description)
        case let error as StoreError:
            return APIError(status(of: error.code), code: "store.\(error.code.rawValue)", error.message)
        case let error as CatalogError:
            let status: HTTPResponse.Status = switch error.code {
            case .invalidInput, .invalidCatalogFile: .badRequest
            case .notFound: .notFound
            case .busy: .serviceUnavailable
            default: .internalServerError
            }
            return APIError(status, code: "catalog.\(error.code)", error.description)
        case let error as TransferError:
            return APIError(.badGateway, code: "transfer.\(error.code.rawValue)", error.description)
        case let error as EngineError:
            return APIError(.badRequest, code: "engine.\(error.code)", error.message)
        case let error as BenchmarkError:
            return APIError(.badRequest, code: "bench.invalid", error.message)
        default:
            return APIError(.internalServerError, code: "api.internal", "the daemon failed: \(error)")
        }
    }

    private static func status(of code: StoreError.Code) -> HTTPResponse.Status {
        switch code {
        case .notCached: .notFound
        case .invalidInput: .badRequest
        case .busy: .conflict
        case .registry, .transfer: .badGateway
        case .diskFull: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        case .archive, .integrity, .io: .internalServerError
        }
    }

    /// The catalog has no model for `stub`; `nearest` are the closest known stubs.
    static func notInCatalog(_ stub: Stub, nearest: [String]) -> APIError {
        APIError(.notFound, code: "catalog.notFound", "\(stub) is not in the catalog", nearest: nearest)
    }
}
