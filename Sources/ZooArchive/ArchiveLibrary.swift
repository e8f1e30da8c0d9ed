import CArchive

/// Facts about the libarchive that zoo unpacks artifacts with.
public enum ArchiveLibrary {
    /// libarchive's version, e.g. `3.6.2`.
    public static var version: String { String(cString: archive_version_details()).split(separator: " ").dropFirst().first.map(String.init) ?? "unknown" }
}
