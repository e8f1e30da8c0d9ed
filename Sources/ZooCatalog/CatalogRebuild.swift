import Foundation

/// Setting a damaged, foreign or too-new catalog aside so a new one can be created; nothing is deleted.
public enum CatalogRebuild {
    /// Renames `catalog.sqlite` (and its `-wal` and `-shm` files) to `catalog.sqlite.broken-TIME`;
    /// returns the new path of the main file, or `nil` if there was no catalog.
    public static func setAside(home: ZooHome, now: Date = Date()) throws -> String? {
        let manager = FileManager.default
        let path = home.catalogPath
        guard manager.fileExists(atPath: path) else { return nil }
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        let target = "\(path).broken-\(stamp)"
        for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
            do {
                try manager.moveItem(atPath: path + suffix, toPath: target + suffix)
            } catch {
                throw CatalogError(.invalidInput, "cannot move \(path + suffix) aside; check the permissions of \(home.url.path)", cause: "\(error)")
            }
        }
        return target
    }
}
