import ArgumentParser

/// The `zoo` command: resolve, search and show SparseZoo-style model stubs from a local catalog.
@main
struct Zoo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo",
        abstract: "Resolve, fetch, cache and benchmark sparse models named by SparseZoo stubs.",
        discussion: """
            A stub names a model: zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned95-none \
            (long form) or zoo:resnet_v1-50-imagenet-pruned95 (short form). Everything zoo keeps is under \
            $ZOO_HOME (default $XDG_CACHE_HOME/zoo, else ~/.cache/zoo).
            """,
        version: ZooVersion.current,
        subcommands: [
            Resolve.self, Search.self, Show.self,
            Pull.self, List.self, Recipe.self, Remove.self, Pin.self, Unpin.self, GC.self, Verify.self, Mirror.self, Import.self, Serve.self,
            Run.self, Bench.self,
            CatalogCommand.self, Version.self,
        ]
    )
}
