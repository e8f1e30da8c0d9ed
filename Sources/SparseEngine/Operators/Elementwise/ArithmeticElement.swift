import Foundation

/// Element types the arithmetic kernels compute in. Integer division by zero yields 0
/// (instead of trapping); integer arithmetic wraps like C.
protocol ArithmeticElement: TensorElement, Comparable {
    static var zero: Self { get }
    static func add(_ a: Self, _ b: Self) -> Self
    static func sub(_ a: Self, _ b: Self) -> Self
    static func mul(_ a: Self, _ b: Self) -> Self
    static func div(_ a: Self, _ b: Self) -> Self
    /// `a mod b`: with `floored` the result takes the divisor's sign (Python's `%`), else the
    /// dividend's (C's `fmod`). Integer division by zero yields 0.
    static func remainder(_ a: Self, _ b: Self, floored: Bool) -> Self
    var doubleValue: Double { get }
    init(double: Double)
}

extension Float: ArithmeticElement {
    static func add(_ a: Float, _ b: Float) -> Float { a + b }
    static func sub(_ a: Float, _ b: Float) -> Float { a - b }
    static func mul(_ a: Float, _ b: Float) -> Float { a * b }
    static func div(_ a: Float, _ b: Float) -> Float { a / b }
    static func remainder(_ a: Float, _ b: Float, floored: Bool) -> Float {
        var r = fmodf(a, b)
        if floored && r != 0 && (r < 0) != (b < 0) { r += b }
        return r
    }
    var doubleValue: Double { Double(self) }
    init(double: Double) { self = Float(double) }
}

extension Double: ArithmeticElement {
    static func add(_ a: Double, _ b: Double) -> Double { a + b }
    static func sub(_ a: Double, _ b: Double) -> Double { a - b }
    static func mul(_ a: Double, _ b: Double) -> Double { a * b }
    static func div(_ a: Double, _ b: Double) -> Double { a / b }
    static func remainder(_ a: Double, _ b: Double, floored: Bool) -> Double {
        var r = fmod(a, b)
        if floored && r != 0 && (r < 0) != (b < 0) { r += b }
        return r
    }
    var doubleValue: Double { self }
    init(double: Double) { self = double }
}

/// Integer arithmetic shared by all fixed-width integers.
protocol IntegerArithmeticElement: ArithmeticElement, FixedWidthInteger {}

extension IntegerArithmeticElement {
    static func add(_ a: Self, _ b: Self) -> Self { a &+ b }
    static func sub(_ a: Self, _ b: Self) -> Self { a &- b }
    static func mul(_ a: Self, _ b: Self) -> Self { a &* b }
    static func div(_ a: Self, _ b: Self) -> Self {
        if b == 0 { return 0 }
        return a.dividedReportingOverflow(by: b).partialValue
    }
    static func remainder(_ a: Self, _ b: Self, floored: Bool) -> Self {
        if b == 0 { return 0 }
        var r = a.remainderReportingOverflow(dividingBy: b).partialValue
        if floored && r != 0 && (r < 0) != (b < 0) { r = r &+ b }
        return r
    }
    var doubleValue: Double { Double(self) }
    init(double: Double) {
        if double.isNaN { self = 0 } else if double >= Double(Self.max) { self = .max } else if double <= Double(Self.min) { self = .min } else { self = Self(double.rounded(.towardZero)) }
    }
}

extension Int64: IntegerArithmeticElement {}
extension Int32: IntegerArithmeticElement {}
extension Int16: IntegerArithmeticElement {}
extension Int8: IntegerArithmeticElement {}
extension UInt8: IntegerArithmeticElement {}
extension UInt16: IntegerArithmeticElement {}
extension UInt32: IntegerArithmeticElement {}
extension UInt64: IntegerArithmeticElement {}

/// Calls the visitor with the Swift type for an arithmetic `DataType`.
protocol ArithmeticVisitor {
    associatedtype Result
    func visit<T: ArithmeticElement>(_ type: T.Type) throws -> Result
}

extension ArithmeticVisitor {
    /// Dispatches on `dataType`; nil if it is not an arithmetic type.
    func callAsFunction(_ dataType: DataType) throws -> Result? {
        switch dataType {
        case .float: return try visit(Float.self)
        case .double: return try visit(Double.self)
        case .int64: return try visit(Int64.self)
        case .int32: return try visit(Int32.self)
        case .int16: return try visit(Int16.self)
        case .int8: return try visit(Int8.self)
        case .uint8: return try visit(UInt8.self)
        case .uint16: return try visit(UInt16.self)
        case .uint32: return try visit(UInt32.self)
        case .uint64: return try visit(UInt64.self)
        default: return nil
        }
    }
}

/// Calls the visitor with the Swift type for an integer `DataType` (bitwise operators).
protocol IntegerVisitor {
    associatedtype Result
    func visit<T: IntegerArithmeticElement>(_ type: T.Type) throws -> Result
}

extension IntegerVisitor {
    /// Dispatches on `dataType`; nil if it is not an integer type.
    func callAsFunction(_ dataType: DataType) throws -> Result? {
        switch dataType {
        case .int64: return try visit(Int64.self)
        case .int32: return try visit(Int32.self)
        case .int16: return try visit(Int16.self)
        case .int8: return try visit(Int8.self)
        case .uint8: return try visit(UInt8.self)
        case .uint16: return try visit(UInt16.self)
        case .uint32: return try visit(UInt32.self)
        case .uint64: return try visit(UInt64.self)
        default: return nil
        }
    }
}
