/// Task counts for work cut in two levels (blocks of weights × ranges of activations), chosen so that
/// `ThreadPool.parallelFor`'s contiguous per-thread shares come out equal: when the task count is not a
/// multiple of the thread count one thread owns a task more, and the last task it holds is finished by
/// one thread while the others wait (YOLOv5s's 3×3 convolutions of 128 channels, 9 tasks on 2 threads).
enum TaskSplit {
    /// The fewest ranges from `least` to `most` whose product with `blocks` is a multiple of `threads`;
    /// `least` (at most `most`) when none is.
    static func ranges(least: Int, most: Int, blocks: Int, threads: Int) -> Int {
        let low = max(1, min(least, most))
        guard threads > 1 else { return low }
        return (low...max(low, most)).first { blocks * $0 % threads == 0 } ?? low
    }

    /// The fewest parts of at most `most` items (at least 1) that `count` items go in: cut at `count·i / parts`, their
    /// sizes differ by one at most (16 slivers in parts of at most 14 go as 8 + 8, not 14 + 2, and the parts' tasks
    /// are alike).
    static func parts(_ count: Int, most: Int) -> Int {
        max(1, (count + max(1, most) - 1) / max(1, most))
    }
}
