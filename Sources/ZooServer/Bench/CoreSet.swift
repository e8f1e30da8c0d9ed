import Foundation

/// The CPUs a benchmark job runs on, written `0-3` or `0,2,4-5`: its threads are pinned to them, and jobs on
/// the same set run one at a time.
struct CoreSet: Hashable, Sendable, CustomStringConvertible {
    let cpus: [Int]

    /// Every CPU this process may run on.
    static var all: CoreSet {
        let count = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return CoreSet(cpus: Array(0..<count))
    }

    init(cpus: [Int]) { self.cpus = Array(Set(cpus)).sorted() }

    /// Parses `0-3`, `0,2` and mixes of them.
    init(parsing text: String) throws {
        var cpus: [Int] = []
        let problem = APIError.badRequest("core_set takes CPU numbers and ranges such as \"0-3\" or \"0,2\", not \"\(text)\"")
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, bounds.count <= 2, low >= 0, high >= low, high < 4096 else {
                throw problem
            }
            cpus += Array(low...high)
        }
        guard !cpus.isEmpty else { throw problem }
        self.init(cpus: cpus)
    }

    var description: String {
        var ranges: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
            ranges.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return ranges.joined(separator: ",")
    }

    /// Pins the calling thread (and the threads it starts afterwards, which inherit the mask) to these CPUs.
    /// Returns false where the system refuses (a CPU that does not exist or is not allowed).
    func pinCurrentThread() -> Bool {
        #if os(Linux)
        var mask = cpu_set_t()
        let bitsPerWord = MemoryLayout<UInt>.size * 8
        withUnsafeMutableBytes(of: &mask) { raw in
            let words = raw.bindMemory(to: UInt.self)
            for cpu in cpus where cpu / bitsPerWord < words.count {
                words[cpu / bitsPerWord] |= 1 << UInt(cpu % bitsPerWord)
            }
        }
        // Glibc declares sched_setaffinity only under _GNU_SOURCE, which Swift's Glibc module does not set.
        typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else { return false }
        let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
        return withUnsafeBytes(of: &mask) { setAffinity(0, MemoryLayout<cpu_set_t>.size, $0.baseAddress!) } == 0
        #else
        return false
        #endif
    }
}
