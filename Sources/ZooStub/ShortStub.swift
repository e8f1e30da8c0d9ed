/// The short (v2) stub body: `architecture[-sub_architecture]-source_dataset[-training_dataset]-sparse_tag`.
///
/// The whole body is the model's repoName in its registry namespace. With four segments the second is
/// read as the sub-architecture, as sparsezoo's own (greedy) grammar does.
public struct ShortStub: Hashable, Sendable, CustomStringConvertible {
    /// The network family: `bert`, `resnet_v1`.
    public var architecture: String
    /// Width or depth: `base`, `50`, `7b`; absent in three-segment stubs.
    public var subArchitecture: String?
    /// The fine-tuning (or only) data set: `imagenet`, `squad_wikipedia_bookcorpus`.
    public var sourceDataset: String
    /// A second data set segment, present only in five-segment stubs.
    public var trainingDataset: String?
    /// The sparse tag; it cannot contain `-` in this form (`pruned80.4block_quantized`).
    public var sparseTag: String

    /// Creates a short stub body from its parts.
    public init(
        architecture: String, subArchitecture: String? = nil, sourceDataset: String,
        trainingDataset: String? = nil, sparseTag: String
    ) {
        self.architecture = architecture
        self.subArchitecture = subArchitecture
        self.sourceDataset = sourceDataset
        self.trainingDataset = trainingDataset
        self.sparseTag = sparseTag
    }

    /// The model's name in its namespace: the body itself.
    public var repoName: String { description }

    /// The body as written in a stub, without `zoo:`.
    public var description: String {
        [architecture, subArchitecture, sourceDataset, trainingDataset, sparseTag]
            .compactMap { $0 }
            .joined(separator: "-")
    }
}
