import ArgumentParser
import Foundation

/// The flags of every command that may reach a registry.
struct FetchOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Registries to fetch from, comma-separated, tried in order (default $ZOO_REGISTRY).",
        discussion: "A base URL (http, https or file), detected as a SparseZoo API or a static index.json; prefix static+ or graphql+ to skip detection.",
        valueName: "urls"))
    var registry: String?

    @Flag(help: "Never use the network: work from the catalog and cache only (also ZOO_OFFLINE=1).")
    var offline = false

    /// Offline when the flag is given or ZOO_OFFLINE is 1/true/yes.
    var isOffline: Bool {
        if offline { return true }
        let value = ProcessInfo.processInfo.environment["ZOO_OFFLINE"]?.lowercased() ?? ""
        return ["1", "true", "yes", "on"].contains(value)
    }

    /// The registry list: the flag, else ZOO_REGISTRY, else none.
    var registryList: String { registry ?? ProcessInfo.processInfo.environment["ZOO_REGISTRY"] ?? "" }
}
