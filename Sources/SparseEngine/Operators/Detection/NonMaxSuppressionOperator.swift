/// `NonMaxSuppression` (float boxes and scores): per batch item and class, the boxes scoring above
/// `score_threshold`, best first, each kept unless it overlaps one kept before by an IoU above `iou_threshold`,
/// at most `max_output_boxes_per_class` of them. Output int64 `[kept, 3]` rows of (batch, class, box), batch by
/// batch, class by class, in the order kept. Boxes are corners `[y1, x1, y2, x2]` in either diagonal order
/// (`center_point_box` 0) or `[x_center, y_center, width, height]` (1). As ONNX Runtime: a negative
/// `max_output_boxes_per_class` keeps none, and boxes of no area overlap nothing.
struct NonMaxSuppressionOperator: ValueShapedOperator {
    private let c: OpContext
    private let centerPointBox: Bool

    init(_ c: OpContext) throws {
        self.c = c
        let format = try c.int("center_point_box", 0)
        guard format == 0 || format == 1 else {
            throw c.error(.unsupportedAttribute, "center_point_box \(format) is neither 0 (corners) nor 1 (center and size)")
        }
        centerPointBox = format == 1
    }

    func checkInputs(_ inputs: [ValueSpec?]) throws {
        let boxes = try c.required(inputs, 0, "boxes"), scores = try c.required(inputs, 1, "scores")
        try c.check(boxes.dataType, in: floatTypes, "boxes")
        try c.check(scores.dataType, in: floatTypes, "scores")
        guard boxes.shape.count == 3, boxes.shape[2] == 4 else {
            throw c.error(.invalidModel, "boxes must be [batch, boxes, 4], got \(boxes.shape)")
        }
        guard scores.shape.count == 3, scores.shape[0] == boxes.shape[0], scores.shape[2] == boxes.shape[1] else {
            throw c.error(.shapeMismatch, "scores must be [batch, classes, boxes] = [\(boxes.shape[0]), classes, \(boxes.shape[1])] for boxes \(boxes.shape), got \(scores.shape)")
        }
        for (index, name, types) in [(2, "max_output_boxes_per_class", [DataType.int64]), (3, "iou_threshold", floatTypes),
                                     (4, "score_threshold", floatTypes)] {
            guard index < inputs.count, let spec = inputs[index] else { continue }
            try c.check(spec.dataType, in: types, name)
            guard spec.count == 1, spec.shape.count <= 1 else {
                throw c.error(.invalidModel, "\(name) must hold one value, got shape \(spec.shape)")
            }
        }
    }

    func evaluate(_ inputs: [Tensor?]) throws -> [Tensor] {
        let boxes = inputs[0]!, scores = inputs[1]!
        let batch = scores.shape[0], classes = scores.shape[1], count = scores.shape[2]
        let limit = try max(0, scalar(inputs, 2)?.intValues()[0] ?? 0)
        let iouThreshold = Float(try scalar(inputs, 3)?.doubleValues()[0] ?? 0)
        guard iouThreshold >= 0 && iouThreshold <= 1 else {
            throw c.error(.invalidInput, "iou_threshold \(iouThreshold) is not in [0, 1]")
        }
        let scoreThreshold = try scalar(inputs, 4).map { Float(try $0.doubleValues()[0]) }
        var kept: [Int64] = []
        for b in 0..<batch where limit > 0 {
            let boxCorners = (0..<count).map { corners(boxes.pointer(Float.self) + (b * count + $0) * 4) }
            for k in 0..<classes {
                let classScores = scores.pointer(Float.self) + (b * classes + k) * count
                let candidates = (0..<count).filter { scoreThreshold == nil || classScores[$0] > scoreThreshold! }
                    .sorted { classScores[$0] > classScores[$1] || (classScores[$0] == classScores[$1] && $0 < $1) }
                var chosen: [Int] = []
                for box in candidates where chosen.count < limit {
                    guard !chosen.contains(where: { overlap(boxCorners[$0], boxCorners[box]) > iouThreshold }) else { continue }
                    chosen.append(box)
                    kept += [Int64(b), Int64(k), Int64(box)]
                }
            }
        }
        return [try Tensor(shape: [kept.count / 3, 3], scalars: kept)]
    }

    /// A box as (top, left, bottom, right).
    private func corners(_ box: UnsafePointer<Float>) -> (Float, Float, Float, Float) {
        if centerPointBox {
            let halfWidth = box[2] / 2, halfHeight = box[3] / 2
            return (box[1] - halfHeight, box[0] - halfWidth, box[1] + halfHeight, box[0] + halfWidth)
        }
        return (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))
    }

    /// Intersection over union of two boxes; 0 when either has no area or they do not meet.
    private func overlap(_ a: (Float, Float, Float, Float), _ b: (Float, Float, Float, Float)) -> Float {
        let height = min(a.2, b.2) - max(a.0, b.0), width = min(a.3, b.3) - max(a.1, b.1)
        guard height > 0, width > 0 else { return 0 }
        let intersection = height * width
        let areaA = (a.2 - a.0) * (a.3 - a.1), areaB = (b.2 - b.0) * (b.3 - b.1)
        let union = areaA + areaB - intersection
        guard areaA > 0, areaB > 0, union > 0 else { return 0 }
        return intersection / union
    }

    /// Optional scalar input `i`, nil when omitted.
    private func scalar(_ inputs: [Tensor?], _ i: Int) -> Tensor? { i < inputs.count ? inputs[i] : nil }
}
