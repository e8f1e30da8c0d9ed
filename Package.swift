// swift-tools-version:6.0
// The zoo package: one binary (`zoo`) over the modules of docs/architecture.md.
import PackageDescription

/// C libraries come in through system-library targets named for pkg-config and Debian's -dev packages.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "zoo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zoo", targets: ["zoo"]),
        .executable(name: "zoo-bench-catalog", targets: ["zoo-bench-catalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: "libsqlite3-dev"),
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: "libcurl4-openssl-dev"),
        systemLibrary("CArchive", pkgConfig: "libarchive", apt: "libarchive-dev"),
        systemLibrary("CProtobufC", pkgConfig: "libprotobuf-c", apt: "libprotobuf-c-dev"),
        systemLibrary("CCrypto", pkgConfig: "libcrypto", apt: "libssl-dev"),

        .target(name: "ZooStub"),
        .target(name: "ZooDigest", dependencies: ["CCrypto"]),
        .target(name: "CZooResources"),
        .target(name: "ZooCatalog", dependencies: ["ZooStub", "ZooDigest", "CSQLite", "CZooResources"]),
        .target(name: "ZooTransfer", dependencies: ["CCurl", "ZooDigest"]),
        .target(name: "ZooArchive", dependencies: ["CArchive"]),
        .target(name: "ZooStore", dependencies: ["ZooStub", "ZooCatalog", "ZooDigest", "ZooTransfer", "ZooArchive"]),
        .target(name: "CONNX", dependencies: ["CProtobufC"]),
        .target(name: "CSparseEngineCPU"),
        // The INT8 microkernels: C with per-function `target` attributes, for `vpdpbusd` (AVX-512 VNNI).
        .target(name: "CSparseEngineKernelsINT8", cSettings: [.unsafeFlags(["-O3"])]),
        .target(
            name: "SparseEngineKernelsAVX512",
            dependencies: ["CSparseEngineCPU"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "skylake-avx512"]), .swiftLanguageMode(.v5)]
        ),
        .target(
            name: "SparseEngineKernelsAVX2",
            dependencies: ["CSparseEngineCPU"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"]), .swiftLanguageMode(.v5)]
        ),
        .target(
            name: "SparseEngine",
            dependencies: ["CONNX", "CProtobufC", "CSparseEngineCPU", "CSparseEngineKernelsINT8", "SparseEngineKernelsAVX2", "SparseEngineKernelsAVX512"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .target(name: "ZooBench", dependencies: ["SparseEngine"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .target(name: "ZooVerify", dependencies: ["SparseEngine", "ZooArchive"]),
        .target(
            name: "ZooServer",
            dependencies: [
                "ZooStore", "ZooCatalog", "ZooStub", "ZooTransfer", "ZooDigest", "ZooBench", "SparseEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "zoo",
            dependencies: [
                "ZooStub", "ZooCatalog", "ZooTransfer", "ZooArchive", "ZooStore", "SparseEngine", "ZooBench", "ZooServer", "ZooVerify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .executableTarget(name: "zoo-bench-catalog", dependencies: ["ZooCatalog", "ZooStub"], path: "bench/CatalogBench"),
        .executableTarget(name: "zoo-conformance", dependencies: ["SparseEngine"], path: "tools/Conformance", swiftSettings: [.swiftLanguageMode(.v5)]),

        .testTarget(name: "ZooStubTests", dependencies: ["ZooStub"], exclude: ["Fixtures"]),
        .testTarget(name: "ZooCatalogTests", dependencies: ["ZooCatalog", "ZooStub", "ZooTestSupport"]),
        .testTarget(name: "ZooDigestTests", dependencies: ["ZooDigest"]),
        // Real servers on loopback for the tests: nginx with a temporary config and the fault-injecting server.
        .target(name: "ZooTestSupport", dependencies: ["ZooDigest"], path: "Tests/ZooTestSupport", exclude: ["fault_server.py"]),
        .testTarget(name: "ZooArchiveTests", dependencies: ["ZooArchive", "CArchive", "ZooTestSupport"]),
        .testTarget(name: "ZooTransferTests", dependencies: ["ZooTransfer", "ZooDigest", "ZooTestSupport"]),
        .testTarget(name: "ZooStoreTests", dependencies: ["ZooStore", "ZooCatalog", "ZooStub", "ZooDigest", "ZooTransfer", "ZooTestSupport"]),
        .testTarget(name: "ZooBenchTests", dependencies: ["ZooBench", "SparseEngine", "ZooTestSupport"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "SparseEngineTests", dependencies: ["SparseEngine"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "ZooVerifyTests", dependencies: ["ZooVerify", "SparseEngine", "ZooTestSupport"]),
        .testTarget(name: "ZooServerTests", dependencies: ["ZooServer", "ZooStore", "ZooCatalog", "ZooDigest", "ZooTestSupport"]),
        .testTarget(name: "zooTests", dependencies: ["zoo", "ZooDigest", "ZooTestSupport"]),
    ]
)
