/// The kinds SparseZoo gives model files, and a guess from the name where a catalog gives none.
public enum FileKind {
    /// The kind sparsezoo would give a file of this name (research/sparsezoo.md §2.4, §2.6).
    public static func guess(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        switch base {
        case "model.onnx", "model.onnx.tar.gz": return name.hasPrefix("deployment/") ? "deployment" : "onnx"
        case "deployment.tar.gz": return "deployment"
        case "model.md": return "card"
        case "sample-inputs.tar.gz": return "inputs"
        case "sample-labels.tar.gz": return "labels"
        case "sample-originals.tar.gz": return "originals"
        default:
            if base.hasPrefix("sample-outputs") { return "outputs" }
            if base.hasPrefix("recipe") { return "recipe" }
            if name.hasPrefix("deployment/") { return "deployment" }
            if name.hasPrefix("training/") { return "training" }
            return "other"
        }
    }
}
