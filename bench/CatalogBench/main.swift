// zoo-bench-catalog: the catalog's speed bars, measured, not asserted.
//   resolve: p50/p99 of Catalog.resolve in-process over a catalog of N models (bar: p99 < 1 ms)
//   search:  wall time of whole `zoo search` processes over the same catalog (bar: < 50 ms)
// Usage: zoo-bench-catalog --zoo PATH [--models N] [--resolves N] [--searches N]
import Foundation
import ZooCatalog
import ZooStub

struct Options {
    var zoo = ".build/release/zoo"
    var models = 100_000
    var resolves = 20_000
    var searches = 30

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fatalError("\(flag) needs a value") }
            switch flag {
            case "--zoo": zoo = value
            case "--models": models = Int(value)!
            case "--resolves": resolves = Int(value)!
            case "--searches": searches = Int(value)!
            default: fatalError("unknown flag \(flag)")
            }
        }
    }
}

/// A synthetic catalog of `count` long-form models with realistic field variety.
func syntheticCatalog(count: Int) -> (data: Data, stubs: [String]) {
    let domains = [("cv", "classification"), ("cv", "detection"), ("nlp", "question_answering"), ("nlp", "text_classification")]
    let datasets = ["imagenet", "coco", "squad", "mnli", "sst2", "voc"]
    var stubs: [String] = []
    var entries: [String] = []
    stubs.reserveCapacity(count)
    for i in 0..<count {
        let (domain, task) = domains[i % domains.count]
        let sparsity = [0, 50, 70, 80, 85, 90, 95][i % 7]
        let tag = sparsity == 0 ? "base-none" : "pruned\(sparsity)\(i % 3 == 0 ? "_quant" : "")-none"
        let stub = "zoo:\(domain)/\(task)/arch\(i % 997)-v\(i / 997)/pytorch/sparseml/\(datasets[i % datasets.count])/\(tag)"
        stubs.append(stub)
        entries.append(#"{"stub":"\#(stub)","repo_name":"model-\#(i)","files":[{"name":"model.onnx","size":\#(1000 + i)}]}"#)
    }
    let json = #"{"format":"zoo-catalog","version":1,"namespace":"bench","models":[\#(entries.joined(separator: ","))]}"#
    return (Data(json.utf8), stubs)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func report(_ name: String, _ samples: [Double], bar: String) {
    let sorted = samples.sorted()
    print(String(format: "%@: n=%d  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms   (bar: %@)",
                 name, sorted.count, percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99),
                 sorted.last!, bar))
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

let options = Options(CommandLine.arguments)
let home = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-bench-catalog-\(getpid())")
defer { try? FileManager.default.removeItem(at: home) }
let zooHome = ZooHome(url: home)
let catalog = try Catalog.open(home: zooHome)
let (data, stubs) = syntheticCatalog(count: options.models)
var start = ContinuousClock.now
let imported = try catalog.importCatalog(data: data, source: "bench")
print(String(format: "imported %d models in %.0f ms (%d in catalog)", imported.imported, milliseconds(since: start), try catalog.modelCount()))

var generator = SystemRandomNumberGenerator()
let parsed = try (0..<options.resolves).map { _ in try Stub(parsing: stubs.randomElement(using: &generator)!) }
for stub in parsed.prefix(500) { _ = try catalog.resolve(stub) }  // warm the page cache
var samples: [Double] = []
for stub in parsed {
    start = ContinuousClock.now
    guard try catalog.resolve(stub) != nil else { fatalError("\(stub) did not resolve") }
    samples.append(milliseconds(since: start))
}
report("resolve (in-process, hit)", samples, bar: "p99 < 1 ms")

/// Runs zoo once with posix_spawn (Foundation's Process adds ~30 ms of its own here) and returns the wall time.
func runZoo(_ arguments: [String]) throws -> Double {
    let argv = ([options.zoo] + arguments).map { strdup($0) } + [nil]
    let environment = ProcessInfo.processInfo.environment.merging(["ZOO_HOME": home.path]) { $1 }
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    guard posix_spawn(&pid, options.zoo, &actions, nil, argv, envp) == 0 else { fatalError("cannot run \(options.zoo)") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let elapsed = milliseconds(since: start)
    let exit = (status >> 8) & 0xFF
    guard [0, 3].contains(exit) else { fatalError("zoo \(arguments) exited \(exit)") }
    return elapsed
}

for (name, arguments) in [
    ("zoo version (process start-up, no catalog)", ["version"]),
    ("zoo search TEXT (process)", ["search", "arch42-", "--json"]),
    ("zoo search --task --sparsity --quantized (process)", ["search", "--task", "detection", "--sparsity", "90", "--quantized", "--limit", "50"]),
    ("zoo resolve (process)", ["resolve", stubs[options.models / 2]]),
] {
    _ = try runZoo(arguments)
    report(name, try (0..<options.searches).map { _ in try runZoo(arguments) }, bar: "< 50 ms")
}
