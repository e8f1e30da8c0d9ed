/// A small seeded generator for test data (Knuth's 64-bit linear congruential constants, the high bits kept):
/// the same numbers on every run and machine.
struct LinearCongruential {
    var state: UInt64

    /// The next 31 bits.
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }

    /// The next byte.
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
