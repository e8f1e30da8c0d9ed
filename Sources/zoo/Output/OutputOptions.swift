import ArgumentParser

/// The output flag every command shares.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (stable field names, see docs/cli.md) instead of text.")
    var json = false
}
