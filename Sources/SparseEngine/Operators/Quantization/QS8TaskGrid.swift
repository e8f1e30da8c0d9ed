/// How a quantized convolution cuts one pass into tasks of (block of weight tiles, run of pixel tiles) for the
/// threads: blocks of at most `mostPerBlock` weight units (what fits in L2), runs cut at `items·r / runs` (sizes a
/// tile apart), and a task count that is a multiple of the threads where one exists, so that
/// `ThreadPool.parallelFor`'s contiguous shares come out equal. Cut as "at most tilesPerRun" with the remainder in
/// one task and the task count left odd (7 pixel tiles of a 14 × 14 layer as 7 tasks on 2 threads: 4 + 3), one
/// thread waited for the other's last task in most of ResNet-50's layers.
struct QS8TaskGrid {
    /// Weight units (tiles, or calls of several tiles) and pixel tiles in the pass.
    let units: Int
    let items: Int
    /// Blocks of weight units and runs of pixel tiles: the pass is `blocks × runs` tasks, block-major.
    let blocks: Int
    let runs: Int

    /// The grid for `units` weight units over `items` pixel tiles on `threads` threads: at least enough blocks to keep
    /// each within `mostPerBlock` units, and two per thread when there are fewer pixel tiles than that (a late layer at
    /// batch 1); runs enough for four tasks per thread. Then the fewest more blocks and runs that make the task count a
    /// multiple of the threads.
    init(units: Int, mostPerBlock: Int, items: Int, threads: Int) {
        self.units = max(1, units)
        self.items = max(1, items)
        (blocks, runs) = Self.shape(units: self.units, mostPerBlock: mostPerBlock, items: self.items, threads: threads)
    }

    private static func shape(units: Int, mostPerBlock: Int, items: Int, threads: Int) -> (blocks: Int, runs: Int) {
        let wanted = max(1, (2 * threads + items - 1) / items)
        let least = min(units, max(TaskSplit.parts(units, most: mostPerBlock), wanted))
        func leastRuns(_ blocks: Int) -> Int { max(1, min(items, (4 * threads + blocks - 1) / blocks)) }
        for blocks in least...units {
            let runs = TaskSplit.ranges(least: leastRuns(blocks), most: items, blocks: blocks, threads: threads)
            if blocks * runs % threads == 0 { return (blocks, runs) }
        }
        return (least, leastRuns(least))
    }

    /// The weight units of task `task`'s block.
    func unitRange(task: Int) -> Range<Int> {
        let block = task / runs
        return units * block / blocks ..< units * (block + 1) / blocks
    }

    /// The pixel tiles of task `task`'s run.
    func itemRange(task: Int) -> Range<Int> {
        let run = task % runs
        return items * run / runs ..< items * (run + 1) / runs
    }
}
