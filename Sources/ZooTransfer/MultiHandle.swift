import CCurl

/// A libcurl multi handle: runs many ``EasyHandle``s at once on the calling thread, sharing connections.
final class MultiHandle {
    private let raw: UnsafeMutableRawPointer

    /// Creates an empty multi handle.
    init() {
        CurlGlobal.initialize()
        guard let raw = curl_multi_init() else { fatalError("libcurl could not create a multi handle (out of memory)") }
        self.raw = raw
    }

    deinit { curl_multi_cleanup(raw) }

    /// Starts `easy`'s transfer.
    func add(_ easy: EasyHandle) {
        let code = curl_multi_add_handle(raw, easy.raw)
        precondition(code == CURLM_OK, "curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))")
    }

    /// Detaches `easy`, finished or not; required before the easy handle is freed.
    func remove(_ easy: EasyHandle) {
        curl_multi_remove_handle(raw, easy.raw)
    }

    /// Does all the work that can be done without waiting: reads, writes and the callbacks they cause.
    func perform() {
        var running: Int32 = 0
        let code = curl_multi_perform(raw, &running)
        precondition(code == CURLM_OK, "curl_multi_perform: \(String(cString: curl_multi_strerror(code)))")
    }

    /// Waits up to `milliseconds` for any transfer's socket or timer to need attention.
    func wait(milliseconds: Int) {
        var ready: Int32 = 0
        _ = curl_multi_poll(raw, nil, 0, Int32(clamping: milliseconds), &ready)
    }

    /// The transfers that have ended since the last call, with libcurl's result for each.
    func completed() -> [(handle: UnsafeMutableRawPointer, result: CURLcode)] {
        var ended: [(handle: UnsafeMutableRawPointer, result: CURLcode)] = []
        var queued: Int32 = 0
        while let message = curl_multi_info_read(raw, &queued) {
            if message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle {
                ended.append((handle, message.pointee.data.result))
            }
        }
        return ended
    }
}
