/// Events raised inside libcurl's callbacks, held until the loop hands them to the caller between rounds.
final class EventBuffer {
    private var pending: [TransferEvent] = []

    /// Adds an event.
    func append(_ event: TransferEvent) { pending.append(event) }

    /// The events added since the last call, oldest first.
    func take() -> [TransferEvent] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}
