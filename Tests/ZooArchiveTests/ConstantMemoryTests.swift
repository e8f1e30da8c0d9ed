import Foundation
import XCTest
import ZooArchive

/// Entry data streams through a fixed buffer: a large entry does not grow the process's memory.
final class ConstantMemoryTests: XCTestCase {
    private let sandbox = Sandbox()

    func testLargeEntryExtractsInConstantMemory() throws {
        let size: Int64 = 256 << 20
        let archive = try sandbox.archive("large.tar.gz") { try $0.file("weights.bin", zeros: size) }
        let destination = try sandbox.newDestination()
        let peakBefore = peakResidentBytes()
        let report = try ArchiveExtractor(limits: ExtractionLimits(maxExpansionRatio: 1_000_000)).extract(archive: archive, into: destination)
        let growth = peakResidentBytes() - peakBefore
        XCTAssertEqual(report.bytes, size)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: destination + "/weights.bin")[.size] as! NSNumber).int64Value, size)
        XCTAssertLessThan(growth, 32 << 20, "extracting a \(size)-byte entry raised the peak resident size by \(growth) bytes")
    }

    private func peakResidentBytes() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int64(usage.ru_maxrss) * 1024
    }
}
