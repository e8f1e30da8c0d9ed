import Foundation

extension Tensor {
    /// Reads a NumPy `.npy` file: format 1.0, 2.0 or 3.0; float16/32/64, (u)int8–64 and bool in
    /// either byte order; C or Fortran order (Fortran-order data is rearranged to row-major). Throws
    /// `EngineError` `.invalidTensorFile` naming `source` and what is wrong: a bad magic or version,
    /// a header that is not the dict NumPy writes, an unsupported dtype, or data bytes that do not
    /// match the shape.
    public init(npy data: Data, source: String = "<memory>") throws {
        func fail(_ why: String) -> Error {
            EngineError(.invalidTensorFile, "'\(source)' is not a readable .npy file: \(why)")
        }
        let header = try NPYHeader(data, fail: fail)
        let descr = try NPYDescr(header.descr, fail: fail)
        let elementSize = descr.dataType.byteSize!
        var byteCount = elementSize
        for dimension in header.shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("shape \(NPYHeader.format(header.shape)) is too large to address") }
            byteCount = product
        }
        let available = data.count - header.dataOffset
        guard available == byteCount else {
            throw fail("it has \(available) data bytes but \(header.descr) \(NPYHeader.format(header.shape)) needs \(byteCount)\(available < byteCount ? " (the file is truncated)" : "")")
        }
        let tensor = try Tensor(zeros: descr.dataType, shape: header.shape)
        if byteCount > 0 {
            data.withUnsafeBytes { raw in
                let source = UnsafeRawBufferPointer(rebasing: raw[header.dataOffset...])
                if header.fortranOrder && header.shape.count > 1 {
                    Self.copyColumnMajor(source, shape: header.shape, elementSize: elementSize, into: tensor.rawPointer)
                } else {
                    tensor.rawPointer.copyMemory(from: source.baseAddress!, byteCount: byteCount)
                }
            }
        }
        if descr.bigEndian { Self.reverseElementBytes(tensor.rawPointer, count: tensor.count, elementSize: elementSize) }
        self = tensor
    }

    /// Reads a `.npy` file.
    public init(npyFile url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw EngineError(.io, "cannot read '\(url.path)': \(error.localizedDescription)")
        }
        try self.init(npy: data, source: url.path)
    }

    /// Serializes as NumPy `.npy` format 1.0 (C order, little-endian).
    public func npyData() throws -> Data {
        guard let code = Self.npyDescrWritten[dataType] else {
            throw EngineError(.unsupportedDataType, "tensors of type \(dataType) cannot be written as .npy")
        }
        var header = "{'descr': '\(code)', 'fortran_order': False, 'shape': \(NPYHeader.format(shape)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = header.utf8.count
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(contentsOf: Array(header.utf8))
        withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// The dtype strings `npyData` writes, as NumPy itself writes them.
    private static let npyDescrWritten: [DataType: String] = [
        .float: "<f4", .double: "<f8", .float16: "<f2", .int64: "<i8", .int32: "<i4", .int16: "<i2", .int8: "|i1",
        .uint8: "|u1", .uint16: "<u2", .uint32: "<u4", .uint64: "<u8", .bool: "|b1",
    ]

    /// Copies column-major (Fortran-order) elements of `shape` into row-major order at `destination`.
    private static func copyColumnMajor(_ source: UnsafeRawBufferPointer, shape: [Int], elementSize: Int, into destination: UnsafeMutableRawPointer) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        // Column-major strides, in elements: the first dimension varies fastest.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for element in 0..<count {
            (destination + element * elementSize).copyMemory(from: source.baseAddress! + offset * elementSize, byteCount: elementSize)
            // Advance the row-major multi-index (last axis fastest) and the column-major offset with it.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Reverses the bytes of each of `count` elements in place (big-endian to little-endian).
    private static func reverseElementBytes(_ base: UnsafeMutableRawPointer, count: Int, elementSize: Int) {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for element in 0..<count {
            let first = element * elementSize
            var (low, high) = (first, first + elementSize - 1)
            while low < high {
                (bytes[low], bytes[high]) = (bytes[high], bytes[low])
                low += 1
                high -= 1
            }
        }
    }
}
