/// A problem with what `zoo run` or `zoo bench` was given: the model argument, an input file, an option.
struct EngineCommandError: Error, CustomStringConvertible {
    /// A stable category; every case is the user's input (exit status 2).
    enum Code {
        /// An `--input` names an unknown input or holds tensors that do not fit.
        case invalidInput
        /// An option's value is malformed (`--dim`, `--shapes`).
        case invalidOption
        /// An output file could not be written.
        case cannotWrite
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
