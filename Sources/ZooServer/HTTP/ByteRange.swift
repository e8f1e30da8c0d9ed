import Foundation

/// One byte range of a `Range: bytes=…` header (`A-B`, `A-`, `-N`), resolved against a file's size.
enum ByteRange {
    /// The inclusive range `header` asks for in a file of `size` bytes: nil when there is no usable header (serve
    /// the whole file), `.failure` when it lies past the end (416). An end past the file is clamped, as
    /// sparsezoo's chunked downloads ask for one byte beyond the end.
    static func resolve(_ header: String?, size: Int) -> Result<ClosedRange<Int>, RangeNotSatisfiable>? {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0 else { return nil }
            guard size > 0 else { return .failure(RangeNotSatisfiable()) }
            return .success(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return nil }
        let end = last.isEmpty ? Int.max : Int(last)
        guard let end, end >= start else { return nil }
        guard start < size else { return .failure(RangeNotSatisfiable()) }
        return .success(start...min(end, size - 1))
    }

    /// A range that starts past the end of the file.
    struct RangeNotSatisfiable: Error {}
}
