import Foundation

/// A static registry's `index.json`: a zoo catalog file whose file URLs may be relative to the index.
enum StaticIndex {
    /// The index with every relative `url` of `models[].files[]` and `models[].recipes[]` made absolute under `base`.
    static func resolvingURLs(in data: Data, base: String) throws -> Data {
        guard var root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let models = root["models"] as? [[String: Any]]
        else { throw StoreError(.registry, "its index.json is not a zoo catalog") }
        root["models"] = models.map { model in
            var model = model
            for key in ["files", "recipes"] {
                guard let files = model[key] as? [[String: Any]] else { continue }
                model[key] = files.map { file in
                    var file = file
                    if let url = file["url"] as? String, !url.contains("://") {
                        file["url"] = base + "/" + url.drop { $0 == "/" }
                    }
                    return file
                }
            }
            return model
        }
        return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
    }
}
