/// A NumPy dtype string from a `.npy` header (`<f4`, `>i8`, `|b1`, `?`), read as an element type
/// and a byte order.
struct NPYDescr {
    /// The element type.
    let dataType: DataType
    /// True when the elements are stored most significant byte first (`>`).
    let bigEndian: Bool

    /// Parses `descr`; throws `fail`'s error naming the dtype when the engine cannot hold it.
    init(_ descr: String, fail: (String) -> Error) throws {
        var rest = Substring(descr)
        var bigEndian = false
        if let order = rest.first, "<>|=".contains(order) {
            bigEndian = order == ">"
            rest = rest.dropFirst()
        }
        guard let kind = rest.first else { throw fail("its dtype '\(descr)' is empty") }
        let sizeText = rest.dropFirst()
        let size = sizeText.isEmpty ? nil : Int(sizeText)
        guard sizeText.isEmpty || size != nil else { throw fail("its dtype '\(descr)' is not a NumPy dtype string") }
        let type: DataType?
        switch (kind, size) {
        case ("f", 2): type = .float16
        case ("f", 4): type = .float
        case ("f", 8): type = .double
        case ("i", 1): type = .int8
        case ("i", 2): type = .int16
        case ("i", 4): type = .int32
        case ("i", 8): type = .int64
        case ("u", 1): type = .uint8
        case ("u", 2): type = .uint16
        case ("u", 4): type = .uint32
        case ("u", 8): type = .uint64
        case ("b", 1), ("?", nil), ("?", 1): type = .bool
        default: type = nil
        }
        guard let type else { throw fail("its dtype '\(descr)' (\(Self.kindName(kind))) is not supported; use float16/32/64, (u)int8–64 or bool") }
        self.dataType = type
        self.bigEndian = bigEndian && type.byteSize! > 1
    }

    private static func kindName(_ kind: Character) -> String {
        switch kind {
        case "f": return "a float of that size"
        case "i", "u": return "an integer of that size"
        case "c": return "complex numbers"
        case "U", "S", "a": return "strings"
        case "O": return "Python objects"
        case "M", "m": return "dates or time spans"
        case "V": return "raw void records"
        default: return "an unknown kind '\(kind)'"
        }
    }
}
