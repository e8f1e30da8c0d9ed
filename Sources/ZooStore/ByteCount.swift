import Foundation

/// Byte counts as people write them: `97.8 MB` out, `20G`, `512MiB` or `1000000` in.
public enum ByteCount {
    /// Decimal units, one decimal: `97.8 MB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var divisor: Int64 = 1
        var unit = 0
        while bytes / divisor >= 1000, unit < units.count - 1 {
            divisor *= 1000
            unit += 1
        }
        guard unit > 0 else { return "\(bytes) B" }
        // One decimal, rounded half up, without String(format:) (which is slow enough to show in `zoo ls`).
        let tenths = (bytes * 10 + divisor / 2) / divisor
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Parses `20G`, `1.5GB`, `512MiB`, `100k` or a plain number of bytes; nil when it is none of these.
    /// K/M/G/T alone and with `B` are powers of 1000; with `iB` powers of 1024.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let suffix = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let powers = ["": 0, "b": 0, "k": 1, "m": 2, "g": 3, "t": 4]
        var base = 1000.0
        var unit = suffix
        if unit.hasSuffix("ib") {
            base = 1024
            unit.removeLast(2)
        } else if unit.hasSuffix("b") && unit.count == 2 {
            unit.removeLast()
        }
        guard let power = powers[unit] else { return nil }
        let bytes = number * pow(base, Double(power))
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }
}
