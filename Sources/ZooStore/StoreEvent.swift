import ZooTransfer

/// What a pull is doing, as it happens: the CLI draws progress from these, the daemon forwards them.
public enum StoreEvent: Sendable {
    /// Another process is pulling the same model; this one waits for it.
    case waiting(model: String, pid: Int32, host: String)
    /// The files the pull will fetch (those not yet cached) and the bytes they add up to, where known.
    case planned(model: String, fetch: [String], reuse: [String], bytes: Int64?)
    /// A transfer event for one file.
    case transfer(TransferEvent)
    /// An archive is being unpacked.
    case unpacking(file: String)
}
