/// A Swift scalar type that maps one-to-one onto an ONNX element type.
public protocol TensorElement {
    /// The ONNX element type stored for this Swift type.
    static var dataType: DataType { get }
}

extension Float: TensorElement { public static var dataType: DataType { .float } }
extension Double: TensorElement { public static var dataType: DataType { .double } }
extension Int64: TensorElement { public static var dataType: DataType { .int64 } }
extension Int32: TensorElement { public static var dataType: DataType { .int32 } }
extension Int16: TensorElement { public static var dataType: DataType { .int16 } }
extension Int8: TensorElement { public static var dataType: DataType { .int8 } }
extension UInt8: TensorElement { public static var dataType: DataType { .uint8 } }
extension UInt16: TensorElement { public static var dataType: DataType { .uint16 } }
extension UInt32: TensorElement { public static var dataType: DataType { .uint32 } }
extension UInt64: TensorElement { public static var dataType: DataType { .uint64 } }
extension Bool: TensorElement { public static var dataType: DataType { .bool } }
