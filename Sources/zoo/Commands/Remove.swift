import ArgumentParser
import ZooStore
import ZooStub

extension Zoo {
    /// `zoo rm STUB…`: removes cached models and the blobs only they used.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove cached models (and the blobs no other model uses).")

        @Argument(help: "Stubs of cached models.")
        var stubs: [String]

        @Flag(help: "Remove pinned models too.")
        var force = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let daemon = try DaemonSession.current()
                let context = daemon == nil ? try CacheContext() : nil
                var removed: [String] = []
                for text in stubs {
                    if let daemon {
                        try daemon.remove(try Stub(parsing: text), force: force)
                    } else if let context {
                        try context.store.remove(try context.key(for: text), force: force)
                    }
                    removed.append(text)
                    if !output.json { print("removed \(text)") }
                }
                if output.json { try printJSON(["removed": removed]) }
            }
        }
    }

    /// `zoo pin STUB…`: keeps models from gc.
    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep cached models: gc never removes a pinned model.")

        @Argument(help: "Stubs of cached models.")
        var stubs: [String]

        func run() throws { try setPinned(stubs, true) }
    }

    /// `zoo unpin STUB…`: lets gc remove models again.
    struct Unpin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let gc remove models again.")

        @Argument(help: "Stubs of cached models.")
        var stubs: [String]

        func run() throws { try setPinned(stubs, false) }
    }
}

/// Pins or unpins each cached model `stubs` names, through the daemon when one runs.
private func setPinned(_ stubs: [String], _ pinned: Bool) throws {
    try reportingErrors {
        if let daemon = try DaemonSession.current() {
            return try daemon.setPinned(try stubs.map { try Stub(parsing: $0) }, pinned)
        }
        let context = try CacheContext()
        for text in stubs { try context.store.setPinned(try context.key(for: text), pinned) }
    }
}
