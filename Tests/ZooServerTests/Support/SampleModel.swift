import Foundation
import ZooTestSupport

/// A model that `zoo verify` can run: ZooTestSupport's `SampleModelFixture` (a real `model.onnx` with sample inputs
/// and outputs as archives) listed in a mirror.
struct SampleModel {
    let stub = "zoo:cv/classification/tinysum-none/pytorch/zoo/synthetic/base-none"

    /// Adds the model to `mirror`.
    init(mirror: MirrorFixture) throws {
        let build = TemporaryDirectory()
        try SampleModelFixture.write(to: build.url, layout: .archives)
        var entry = MirrorFixture.Model(stub: stub, repoName: "tinysum-synthetic-base")
        for name in ["model.onnx", "sample-inputs.tar.gz", "sample-outputs.tar.gz"] {
            entry.files[name] = try Data(contentsOf: build.url.appendingPathComponent(name))
        }
        try mirror.add(entry)
    }
}
