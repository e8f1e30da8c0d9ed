import Foundation
import SparseEngine
import ZooArchive

/// Tensors read from one input file: a `.pb` (ONNX TensorProto), a `.npy`, or a `.npz` holding several
/// arrays. Each tensor carries the name its file gives it (the npz member name without `.npy`), if any.
struct TensorFile {
    /// One tensor of the file.
    struct Entry {
        /// The member name in an `.npz`; nil for `.pb` and `.npy` files.
        let name: String?
        let tensor: Tensor
    }

    let path: String
    let entries: [Entry]

    /// Reads `path`, choosing the format by extension.
    init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineCommandError(.invalidInput, "no such input file: \(path)")
        }
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "pb": entries = [Entry(name: nil, tensor: try Tensor(fromTensorProtoFile: url))]
        case "npy": entries = [Entry(name: nil, tensor: try Tensor(npyFile: url))]
        case "npz":
            let members: [ZipMember]
            do {
                members = try ZipMembers.read(path: path)
            } catch let error as ArchiveError {
                throw EngineCommandError(.invalidInput, error.message)
            }
            entries = try members.map { member in
                let name = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
                return Entry(name: name, tensor: try Tensor(npy: member.data, source: "\(path) member \(member.name)"))
            }
            if entries.isEmpty { throw EngineCommandError(.invalidInput, "\(path) holds no arrays") }
        default:
            throw EngineCommandError(.invalidInput, "cannot tell the format of \(path): input files must end in .pb (ONNX TensorProto), .npy or .npz")
        }
    }
}
