/// Places values in one arena so that values whose lifetimes overlap never share bytes.
///
/// Greedy by size (largest first), each value at the lowest offset that fits between the
/// values already placed whose lifetimes overlap its own (XNNPACK's memory planner,
/// Pisarchyk & Lee 2020). Offsets are 64-byte aligned.
struct MemoryPlanner {
    /// One value to place: its size and the inclusive range of steps that touch it.
    struct Request {
        var size: Int
        var firstStep: Int
        var lastStep: Int
    }

    /// Offsets (same order as `requests`) and the arena size.
    static func plan(_ requests: [Request], alignment: Int = 64) -> (offsets: [Int], arenaSize: Int) {
        func align(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
        var offsets = [Int](repeating: 0, count: requests.count)
        var placed: [Int] = []
        var arena = 0
        let order = requests.indices.sorted { (requests[$0].size, $1) > (requests[$1].size, $0) }
        for i in order {
            let r = requests[i]
            let size = align(max(r.size, 1))
            let busy = placed
                .filter { requests[$0].firstStep <= r.lastStep && r.firstStep <= requests[$0].lastStep }
                .map { (offsets[$0], offsets[$0] + align(max(requests[$0].size, 1))) }
                .sorted { $0.0 < $1.0 }
            var candidate = 0
            for (start, end) in busy {
                if candidate + size <= start { break }
                candidate = max(candidate, end)
            }
            offsets[i] = candidate
            arena = max(arena, candidate + size)
            placed.append(i)
        }
        return (offsets, arena)
    }
}
