import CCurl

/// Facts about the libcurl that zoo's transfers run on.
public enum CurlLibrary {
    /// libcurl's version string, e.g. `7.88.1`.
    public static var version: String {
        guard let info = CCurl_versionInfo(), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }
}
