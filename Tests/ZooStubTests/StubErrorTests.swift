import XCTest
import ZooStub

/// Malformed stubs name the column, what was found and what was expected.
final class StubErrorTests: XCTestCase {
    private func error(_ text: String, prefix: Stub.PrefixRule = .required) -> StubError? {
        do {
            _ = try Stub(parsing: text, prefix: prefix)
            XCTFail("\(text) parsed but should not")
            return nil
        } catch let error as StubError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    func testMissingPrefix() {
        let e = error("cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/base-none")
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.found, "'c'")
        XCTAssertEqual(e?.expected, "the prefix 'zoo:' (a string without it is read as a path; "
            + "did you mean 'zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/base-none'?)")
    }

    func testMissingPrefixSuggestsTheStubOnlyWhenItParses() {
        XCTAssertEqual(error("resnet_v1-50-imagenet-pruned95")?.expected,
            "the prefix 'zoo:' (a string without it is read as a path; did you mean 'zoo:resnet_v1-50-imagenet-pruned95'?)")
        XCTAssertEqual(error("models/my model.onnx")?.expected, "the prefix 'zoo:' (a string without it is read as a path)")
    }

    func testPrefixIsCaseSensitive() {
        XCTAssertEqual(error("ZOO:a-b-c")?.column, 1)
    }

    func testSpaceInsideASegment() {
        let e = error("zoo:cv/classification/resnet v1-50/pytorch/sparseml/imagenet/base-none")
        XCTAssertEqual(e?.column, 29)
        XCTAssertEqual(e?.field, "architecture")
        XCTAssertEqual(e?.found, "' '")
        XCTAssertEqual(e?.expected, "a letter, digit, '.' or '_', or '-' or '/'")
        XCTAssertEqual(e?.summary,
            "invalid stub at column 29 (architecture): found ' ', expected a letter, digit, '.' or '_', or '-' or '/'")
    }

    func testCaretPointsAtTheColumn() {
        let e = error("zoo:a-b-c d")
        XCTAssertEqual(e?.description.split(separator: "\n").last, "           ^")
    }

    func testEmptySegment() {
        let e = error("zoo:cv//resnet_v1-50/pytorch/sparseml/imagenet/base-none")
        XCTAssertEqual(e?.column, 8)
        XCTAssertEqual(e?.field, "sub_domain")
        XCTAssertEqual(e?.found, "'/'")
    }

    func testTooFewLongParts() {
        let e = error("zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet")
        XCTAssertEqual(e?.field, "dataset")
        XCTAssertEqual(e?.found, "end of stub")
    }

    func testTrailingPartsAfterTheSparseTagAreRefused() {
        // sparsezoo accepts this and silently drops the tail; zoo matches the whole string.
        let e = error("zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/pruned95_quant-none/extra/stuff")
        XCTAssertEqual(e?.field, "sparse_category")
        XCTAssertEqual(e?.found, "'/'")
    }

    func testSecondDashInArchitecture() {
        let e = error("zoo:cv/classification/resnet-v1-50/pytorch/sparseml/imagenet/base-none")
        XCTAssertEqual(e?.field, "sub_architecture")
        XCTAssertEqual(e?.found, "'-'")
    }

    func testFourPartSparseTag() {
        XCTAssertEqual(error("zoo:cv/classification/resnet_v1-50/pytorch/sparseml/imagenet/a-b-c-d")?.field, "sparse_target")
    }

    func testShortFormTooFewAndTooManySegments() {
        XCTAssertEqual(error("zoo:resnet-imagenet")?.found, "end of stub")
        let many = error("zoo:a-b-c-d-e-f")
        XCTAssertEqual(many?.field, "sparse_tag")
        XCTAssertEqual(many?.found, "'-'")
        XCTAssertEqual(many?.column, 14)
    }

    func testCharactersSparsezooAcceptsButZooDoesNot() {
        XCTAssertEqual(error("zoo:a^b-c-d")?.found, "'^'")
        XCTAssertEqual(error("zoo:A`B-[c]-d")?.found, "'`'")
        XCTAssertEqual(error("zoo:a-b-c\u{e9}")?.found, "U+E9")
    }

    func testQueryErrors() {
        XCTAssertEqual(error("zoo:a-b-c?")?.expected, "a query key: one of recipe, recipe_type, checkpoint, deployment")
        let unknown = error("zoo:a-b-c?recipe-type=original")
        XCTAssertEqual(unknown?.found, "'recipe-type'")
        XCTAssertEqual(unknown?.column, 11)
        XCTAssertEqual(error("zoo:a-b-c?recipe")?.expected, "'=' and a value after 'recipe'")
        XCTAssertEqual(error("zoo:a-b-c?x=1?y=2")?.found, "'x'")
        XCTAssertEqual(error("zoo:a-b-c?récipe😀=x")?.found, "'récipe😀'", "a key beyond ASCII is quoted as written")
        XCTAssertEqual(error("zoo:a-b-c?recipe=a?b")?.found, "'?'")
        XCTAssertEqual(error("zoo:a-b-c?recipe=a=b")?.found, "'='")
        XCTAssertEqual(error("zoo:a-b-c?checkpoint=some_dummy_name")?.expected,
                       "one of prepruning, postpruning, preqat, postqat")
        XCTAssertEqual(error("zoo:a-b-c?deployment=x")?.expected, "one of default")
        XCTAssertEqual(error("zoo:a-b-c?recipe=a&recipe=b")?.found, "'recipe' a second time")
        XCTAssertEqual(error("zoo:a-b-c?recipe=x%20y")?.found, "'%'")
    }

    func testEmptyAndPrefixOnly() {
        XCTAssertEqual(error("")?.found, "end of stub")
        XCTAssertEqual(error("zoo:")?.found, "end of stub")
        XCTAssertEqual(error("zoo:zoo:a-b-c")?.found, "':'")
    }
}
