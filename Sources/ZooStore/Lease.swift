import Foundation
import ZooCatalog

/// A claim on one model held in the catalog's `leases` table, so that processes sharing a zoo home take turns:
/// the second process pulling a model waits for the first and then finds the model cached.
///
/// A lease whose holder died (`kill -9`, a crash) is taken over: on the same host when its process no longer
/// exists, from another host (a shared home) when its heartbeat is older than `staleAfter`.
final class Lease {
    /// Who holds a lease somebody else is waiting for.
    struct Holder: Sendable {
        var pid: Int32
        var host: String
    }

    let key: String
    private let owner = UUID().uuidString
    private let database: Database
    private var lastHeartbeat = 0.0
    private var released = false

    static let staleAfter = 120.0

    private init(key: String, database: Database) {
        self.key = key
        self.database = database
    }

    /// Takes the lease on `key`, waiting while a live process holds it; `waiting` is told once who that is.
    static func acquire(
        _ key: String, database: Database, timeout: Double = 3600, waiting: (Holder) -> Void = { _ in }
    ) throws -> Lease {
        let lease = Lease(key: key, database: database)
        let deadline = Date().addingTimeInterval(timeout)
        var told = false
        while true {
            if let holder = try lease.tryTake() {
                if !told {
                    waiting(holder)
                    told = true
                }
                guard Date() < deadline else {
                    throw StoreError(.busy, "\(key) is being pulled by another zoo (pid \(holder.pid) on \(holder.host)); try again when it has finished")
                }
                Thread.sleep(forTimeInterval: 0.1)
                continue
            }
            return lease
        }
    }

    /// Who holds `key` now, if a live holder does.
    static func holder(of key: String, database: Database) throws -> Holder? {
        guard let row = try database.row("SELECT pid, host, heartbeat_at FROM leases WHERE key = ?", [.text(key)]) else {
            return nil
        }
        let holder = Holder(pid: Int32(row.int(0) ?? 0), host: row.text(1) ?? "")
        return isAlive(holder, heartbeat: row.double(2) ?? 0) ? holder : nil
    }

    /// Refreshes the heartbeat, at most every few seconds; call it while working.
    func heartbeat() {
        let now = CacheIndex.now()
        guard now - lastHeartbeat > 5 else { return }
        lastHeartbeat = now
        try? database.run("UPDATE leases SET heartbeat_at = ? WHERE key = ? AND owner = ?", [.real(now), .text(key), .text(owner)])
    }

    /// Gives the lease up. Safe to call twice.
    func release() {
        guard !released else { return }
        released = true
        try? database.run("DELETE FROM leases WHERE key = ? AND owner = ?", [.text(key), .text(owner)])
    }

    deinit { release() }

    /// Takes the lease if it is free or stale; returns the live holder otherwise.
    private func tryTake() throws -> Holder? {
        try database.transaction {
            if let holder = try Self.holder(of: key, database: database) { return holder }
            let now = CacheIndex.now()
            try database.run(
                "INSERT OR REPLACE INTO leases (key, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(key), .text(owner), .integer(Int64(getpid())), .text(Self.hostName), .real(now), .real(now)])
            lastHeartbeat = now
            return nil
        }
    }

    private static func isAlive(_ holder: Holder, heartbeat: Double) -> Bool {
        if holder.host == hostName {
            return kill(holder.pid, 0) == 0 || errno == EPERM
        }
        return CacheIndex.now() - heartbeat < staleAfter
    }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer)
    }()
}
