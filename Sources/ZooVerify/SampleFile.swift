import Foundation
import SparseEngine
import ZooArchive

/// One sample file, `inp-0000.npz` or `out-0000.npz`: a NumPy `.npz` (a zip of `.npy` members, read
/// through libarchive) holding one sample's arrays, keyed by ONNX input or output name (or
/// `arr_0`, `arr_1`, … when saved by position), in the zip's order.
public struct SampleFile: Sendable {
    /// One array of the file.
    public struct NamedTensor: Sendable {
        /// The member name without `.npy`.
        public let name: String
        /// The array.
        public let tensor: Tensor
    }

    /// Where the file was read from.
    public let url: URL
    /// The arrays, in the zip's member order.
    public let arrays: [NamedTensor]

    /// The file name, e.g. `inp-0000.npz`.
    public var name: String { url.lastPathComponent }

    /// Reads the `.npz` at `url`. Throws `SampleDataError` `.malformedFile` naming the file and the
    /// member at fault when it is not a readable zip, holds no arrays, a member that is not a `.npy`
    /// array, the same name twice, or a `.npy` member that cannot be parsed.
    public init(url: URL) throws {
        self.url = url
        let members: [ZipMember]
        do {
            members = try ZipMembers.read(path: url.path)
        } catch let error as ArchiveError {
            throw SampleDataError(.malformedFile, "\(url.path) is not a readable .npz file: \(error.message)")
        }
        guard !members.isEmpty else {
            throw SampleDataError(.malformedFile, "\(url.path) holds no arrays; an .npz sample file holds one .npy member per model input or output")
        }
        var seen = Set<String>()
        arrays = try members.map { member in
            guard member.name.hasSuffix(".npy") else {
                throw SampleDataError(.malformedFile, "\(url.path) has a member '\(member.name)' that is not a .npy array; an .npz sample file holds only NAME.npy members")
            }
            let name = String(member.name.dropLast(4))
            guard seen.insert(name).inserted else {
                throw SampleDataError(.malformedFile, "\(url.path) holds the array '\(name)' twice")
            }
            do {
                return NamedTensor(name: name, tensor: try Tensor(npy: member.data, source: "\(url.path) member \(member.name)"))
            } catch let error as EngineError {
                throw SampleDataError(.malformedFile, error.message)
            }
        }
    }
}
