/// The long (v1) stub body:
/// `domain/sub_domain/architecture[-sub_architecture]/framework/repo/dataset[-training_scheme]/sparse_tag`.
public struct LongStub: Hashable, Sendable, CustomStringConvertible {
    /// Type of solution: `cv`, `nlp`, `nlg`.
    public var domain: String
    /// The task within the domain (sparsezoo's API calls it `task`): `classification`, `question_answering`.
    public var subDomain: String
    /// The network family: `resnet_v1`, `bert`.
    public var architecture: String
    /// Width or depth of the family: `50`, `base`, `none`; absent when the stub has none.
    public var subArchitecture: String?
    /// The training framework: `pytorch`, `tensorflow_v1`.
    public var framework: String
    /// The source repository: `sparseml`, `huggingface`, `ultralytics`.
    public var repo: String
    /// The training data set: `imagenet`, `squad`.
    public var dataset: String
    /// An optional training scheme after the data set: `augmented`.
    public var trainingScheme: String?
    /// What was done to the model: `pruned95_quant-none-vnni`.
    public var sparseTag: SparseTag

    /// Creates a long stub body from its parts.
    public init(
        domain: String, subDomain: String, architecture: String, subArchitecture: String? = nil,
        framework: String, repo: String, dataset: String, trainingScheme: String? = nil, sparseTag: SparseTag
    ) {
        self.domain = domain
        self.subDomain = subDomain
        self.architecture = architecture
        self.subArchitecture = subArchitecture
        self.framework = framework
        self.repo = repo
        self.dataset = dataset
        self.trainingScheme = trainingScheme
        self.sparseTag = sparseTag
    }

    /// The body as written in a stub, without `zoo:`.
    public var description: String {
        [
            domain, subDomain, joined(architecture, subArchitecture), framework, repo,
            joined(dataset, trainingScheme), sparseTag.description,
        ].joined(separator: "/")
    }

    private func joined(_ head: String, _ tail: String?) -> String {
        tail.map { head + "-" + $0 } ?? head
    }
}
