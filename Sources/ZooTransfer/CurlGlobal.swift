import CCurl

/// libcurl's process-wide setup, which must run once before the first handle and is not thread-safe itself.
enum CurlGlobal {
    private static let initialized: Bool = CCurl_globalInit() == CURLE_OK

    /// Runs libcurl's global setup the first time it is called (Swift runs a static's initializer once).
    static func initialize() {
        precondition(initialized, "libcurl's global initialization failed (out of memory)")
    }
}
