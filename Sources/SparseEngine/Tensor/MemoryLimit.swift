import Foundation

/// The largest allocation the engine attempts: the machine's physical memory. Shapes come from the model and its
/// inputs, so a hostile or mistaken one (a dimension of 100,000 channels, an Expand to 2^40) must fail with an error
/// that names it, not abort the process when the allocation fails or the element count overflows.
enum MemoryLimit {
    /// Bytes of physical memory.
    static let physicalBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && pageSize > 0 ? pages.multipliedReportingOverflow(by: pageSize).partialValue : Int.max
    }()

    /// Bytes of `shape` at `elementSize` bytes each; throws `.outOfMemory` naming `what` when the count overflows or
    /// the bytes exceed physical memory.
    static func byteCount(of shape: [Int], elementSize: Int, what: @autoclosure () -> String) throws -> Int {
        var bytes = elementSize
        for dimension in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw EngineError(.outOfMemory, "\(what()) of shape \(shape) has more elements than any machine can hold") }
            bytes = product
        }
        try check(bytes, what: "\(what()) of shape \(shape)")
        return bytes
    }

    /// Throws `.outOfMemory` when `bytes` exceed physical memory.
    static func check(_ bytes: Int, what: @autoclosure () -> String) throws {
        guard bytes > physicalBytes else { return }
        throw EngineError(.outOfMemory, "\(what()) needs \(gigabytes(bytes)) GB, more than this machine's \(gigabytes(physicalBytes)) GB of memory; use a smaller batch or input")
    }

    private static func gigabytes(_ bytes: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1e9)
    }

    /// Checks that every output an operator inferred fits in memory (`names`: the node's output names).
    static func checkOutputs(_ specs: [ValueSpec], named names: [String]) throws {
        for (name, spec) in zip(names, specs) {
            _ = try byteCount(of: spec.shape, elementSize: spec.dataType.byteSize ?? 1, what: "output '\(name)'")
        }
    }
}
