import CONNX
import CProtobufC

/// Owns one message unpacked by protobuf-c and frees it when the last borrower is gone.
///
/// protobuf-c copies `bytes` fields (raw tensor data) out of the input buffer once while
/// unpacking; tensors then borrow that memory through this owner instead of copying again.
final class ProtobufMessage<Message>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Message>

    /// Unpacks `bytes` with the generated `unpack` function of the message type (such as
    /// `onnx__model_proto__unpack`); `nil` if protobuf-c rejects them.
    ///
    /// The generated function passes the address of the C descriptor itself. Swift would hand
    /// `protobuf_c_message_unpack` a pointer to a temporary copy of the imported `let`
    /// descriptor, which the unpacked message keeps and `free_unpacked` reads after it is gone.
    init?(bytes: UnsafeRawBufferPointer, unpack: (Int, UnsafePointer<UInt8>) -> UnsafeMutablePointer<Message>?) {
        guard let base = bytes.baseAddress ?? (bytes.isEmpty ? UnsafeRawPointer(bitPattern: 1) : nil),
              let message = unpack(bytes.count, base.assumingMemoryBound(to: UInt8.self))
        else { return nil }
        pointer = message
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
