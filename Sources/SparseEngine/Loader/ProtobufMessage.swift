import CONNX
import CProtobufC

/// Owns one message unpacked by protobuf-c and frees it when the last borrower is gone.
///
/// protobuf-c copies `bytes` fields (raw tensor data) out of the input buffer once while
/// unpacking; tensors then borrow that memory through this owner instead of copying again.
final class ProtobufMessage<Message>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Message>

    /// Unpacks `bytes` with `descriptor`; `nil` if protobuf-c rejects them.
    init?(descriptor: UnsafePointer<ProtobufCMessageDescriptor>, bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress ?? (bytes.isEmpty ? UnsafeRawPointer(bitPattern: 1) : nil),
              let message = protobuf_c_message_unpack(descriptor, nil, bytes.count, base.assumingMemoryBound(to: UInt8.self))
        else { return nil }
        pointer = UnsafeMutableRawPointer(message).assumingMemoryBound(to: Message.self)
    }

    deinit {
        protobuf_c_message_free_unpacked(UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: ProtobufCMessage.self), nil)
    }
}

/// `String(cString:)` that maps NULL to "".
@inline(__always)
func cString(_ p: UnsafeMutablePointer<CChar>?) -> String {
    p.map { String(cString: $0) } ?? ""
}
