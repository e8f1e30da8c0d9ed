import Foundation
import ZooArchive

/// Builds a model directory from its blobs in a staging directory beside it, then swaps it into place, so a
/// reader sees either the old directory or the new one, never a half-built one.
struct ModelAssembler {
    let layout: StoreLayout
    let blobs: BlobStore
    let extractor: ArchiveExtractor

    /// Puts `files` (name → blob digest) in the directory of `key`, unpacking archives; returns the unpacked bytes.
    func assemble(_ key: ModelKey, files: [String: String], unpacking: (String) -> Void = { _ in }) throws -> Int64 {
        let final = layout.modelDirectory(key)
        let parent = final.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers(of: key)
        let staging = parent.appendingPathComponent(".\(key.repoName).staging-\(getpid())")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            var unpacked: Int64 = 0
            for (name, sha256) in files.sorted(by: { $0.key < $1.key }) {
                try blobs.link(sha256, to: staging.appendingPathComponent(name))
            }
            for name in files.keys.sorted() where ArchiveName.stem(name) != nil {
                unpacking(name)
                unpacked += try unpack(name, in: staging)
            }
            try swap(staging, into: final, key: key)
            return unpacked
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Removes the model's directory.
    func remove(_ key: ModelKey) throws {
        removeLeftovers(of: key)
        let final = layout.modelDirectory(key)
        guard FileManager.default.fileExists(atPath: final.path) else { return }
        let doomed = final.deletingLastPathComponent().appendingPathComponent(".\(key.repoName).old-\(getpid())")
        guard rename(final.path, doomed.path) == 0 else {
            throw StoreError(.io, "cannot remove \(final.path): \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(at: doomed)
    }

    private func unpack(_ name: String, in staging: URL) throws -> Int64 {
        let archive = staging.appendingPathComponent(name).path
        do {
            if let directory = ArchiveName.directory(of: name) {
                return try extractor.extract(archive: archive, into: staging.appendingPathComponent(directory).path).bytes
            }
            // model.onnx.tar.gz and its kind unpack beside themselves: unpack aside, then move each entry up.
            let aside = staging.appendingPathComponent(".unpack-\(name)")
            let report = try extractor.extract(archive: archive, into: aside.path)
            for entry in try FileManager.default.contentsOfDirectory(atPath: aside.path) {
                let target = staging.appendingPathComponent(entry)
                guard !FileManager.default.fileExists(atPath: target.path) else {
                    throw StoreError(.archive, "\(name) holds \(entry), which the model already has; the archive is refused")
                }
                try FileManager.default.moveItem(at: aside.appendingPathComponent(entry), to: target)
            }
            try FileManager.default.removeItem(at: aside)
            return report.bytes
        } catch let error as ArchiveError {
            throw StoreError(.archive, "\(name) was not unpacked: \(error)")
        }
    }

    private func swap(_ staging: URL, into final: URL, key: ModelKey) throws {
        let old = final.deletingLastPathComponent().appendingPathComponent(".\(key.repoName).old-\(getpid())")
        let hadOld = rename(final.path, old.path) == 0
        guard rename(staging.path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadOld { rename(old.path, final.path) }
            throw StoreError(.io, "cannot put \(final.path) in place: \(reason)")
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }

    /// Staging and old directories a killed process left for this model (the caller holds its lease).
    private func removeLeftovers(of key: ModelKey) {
        let parent = layout.modelDirectory(key).deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix(".\(key.repoName).staging-") || name.hasPrefix(".\(key.repoName).old-") {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }
}
