import Foundation

/// The processor topology the engine sizes its default thread count by.
public enum CPUTopology {
    /// Physical cores this process may run on: distinct (package, core) pairs among the online CPUs in
    /// `/sys/devices/system/cpu`, so SMT siblings count once; the active processor count where the
    /// topology cannot be read.
    public static let physicalCores: Int = {
        let root = "/sys/devices/system/cpu"
        let fallback = ProcessInfo.processInfo.activeProcessorCount
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return fallback }
        var cores = Set<String>()
        for name in names where name.hasPrefix("cpu") && name.dropFirst(3).allSatisfy(\.isNumber) && name.count > 3 {
            func read(_ file: String) -> String? {
                (try? String(contentsOfFile: "\(root)/\(name)/\(file)", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if read("online") == "0" { continue }
            guard let package = read("topology/physical_package_id"), let core = read("topology/core_id") else { return fallback }
            cores.insert("\(package):\(core)")
        }
        return cores.isEmpty ? fallback : min(cores.count, fallback)
    }()
}
