import Foundation

/// Runs a batch as consecutive slices of a few items when the graph keeps items apart
/// (`BatchSeparability`) and the whole batch's intermediate values would not fit in the cache.
///
/// Layer by layer, a large batch streams every activation through main memory: ResNet-50's at batch 16
/// reach 51 MB a tensor, and a pruned model's layers then wait on memory instead of computing. A slice
/// whose arena fits in half the last-level cache keeps them there; results are the same, item for item.
public struct BatchSlicing: Equatable, Sendable {
    /// Items in the whole batch.
    public let batch: Int
    /// Items per slice at most (slices differ by one item at most).
    public let items: Int
    /// Slices run side by side, each on a thread of its own (`BatchStreams`); 1 runs them one after another,
    /// each on every thread.
    public let streams: Int
    /// The first node (in the session's order, after the passes) of the tail that runs on the whole batch once
    /// the slices are done (`BatchTail`); nil when the slices run every node.
    public let tailStart: Int?

    /// Slices of at most `items` of `batch`, on `streams` streams, up to node `tailStart`.
    public init(batch: Int, items: Int, streams: Int = 1, tailStart: Int? = nil) {
        self.batch = batch
        self.items = items
        self.streams = max(1, streams)
        self.tailStart = tailStart
    }

    /// The slices' item ranges, in order: as few as hold `items` each, rounded up to a multiple of `streams` so
    /// every stream gets the same number, with sizes as even as possible (16 items in slices of at most 3 on 2
    /// streams: 2, 3, 3, 2, 3, 3; each stream takes a contiguous half of them, 8 items).
    var ranges: [Range<Int>] {
        let perStream = (batch + items * streams - 1) / max(items * streams, 1)
        let count = max(1, min(batch, perStream * streams))
        return (0..<count).map { batch * $0 / count..<batch * ($0 + 1) / count }
    }

    /// The distinct sizes of the slices.
    var sliceSizes: Set<Int> { Set(ranges.map(\.count)) }

    /// The slice size for a batch whose whole arena takes `arenaBytes`: as many items as fit in `budget`
    /// bytes (arenas grow in proportion to the batch), at least one.
    static func items(batch: Int, arenaBytes: Int, budget: Int) -> Int {
        guard arenaBytes > budget else { return batch }
        return max(1, min(batch, budget * batch / max(arenaBytes, 1)))
    }

    /// The last-level cache's size, from sysfs (32 MiB where it cannot be read).
    public static let lastLevelCache: Int = {
        let root = "/sys/devices/system/cpu/cpu0/cache"
        var largest = 0
        for index in 0..<8 {
            guard let text = try? String(contentsOfFile: "\(root)/index\(index)/size", encoding: .utf8) else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let scale = trimmed.hasSuffix("K") ? 1024 : trimmed.hasSuffix("M") ? 1024 * 1024 : 1
            if let value = Int(trimmed.filter(\.isNumber)) { largest = max(largest, value * scale) }
        }
        return largest > 0 ? largest : 32 * 1024 * 1024
    }()

    /// A quarter of the last-level cache: the default budget for a slice's arena, leaving the rest to weights and
    /// packed panels.
    public static let defaultBudget = lastLevelCache / 4

    /// The budget `ZOO_BATCH_SLICING` sets in MiB (nil for 0: never slice), else `defaultBudget`.
    public static var environmentBudget: Int? {
        guard let text = ProcessInfo.processInfo.environment["ZOO_BATCH_SLICING"], let mebibytes = Double(text) else { return defaultBudget }
        return mebibytes > 0 ? Int(mebibytes * 1_048_576) : nil
    }

    /// Items `range` of every feed, as views of the caller's tensors (no copy).
    static func slice(_ feeds: [String: Tensor], _ range: Range<Int>) -> [String: Tensor] {
        feeds.mapValues { t in
            let itemBytes = t.byteCount / max(t.shape[0], 1)
            return Tensor(dataType: t.dataType, shape: [range.count] + t.shape.dropFirst(), storage: t.storage,
                          byteOffset: t.byteOffset + range.lowerBound * itemBytes)
        }
    }

    /// Joins the slices' outputs along axis 0, in slice order.
    static func join(_ parts: [[String: Tensor]]) throws -> [String: Tensor] {
        guard let first = parts.first, parts.count > 1 else { return parts.first ?? [:] }
        var joined: [String: Tensor] = [:]
        for (name, head) in first {
            let pieces = parts.map { $0[name]! }
            let items = pieces.reduce(0) { $0 + $1.shape[0] }
            let whole = try Tensor(zeros: head.dataType, shape: [items] + head.shape.dropFirst())
            var offset = 0
            for piece in pieces {
                (whole.rawPointer + offset).copyMemory(from: piece.rawPointer, byteCount: piece.byteCount)
                offset += piece.byteCount
            }
            joined[name] = whole
        }
        return joined
    }
}
