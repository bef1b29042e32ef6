// swift-tools-version: 6.1
// The benchmark suite, kept out of the root package so `swift build && swift
// test` at the root never builds it. Run it from this folder:
//
//     swift package --allow-writing-to-package-directory benchmark
//
// See docs/PERFORMANCE.md.
import PackageDescription

let package = Package(
    name: "agent-trace-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "agent-trace", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "TraceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TraceRecorder", package: "agent-trace"),
                .product(name: "TraceLog", package: "agent-trace"),
                .product(name: "TraceAnalysis", package: "agent-trace"),
            ],
            path: "Benchmarks/TraceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
