// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "agent-trace",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TraceLog", targets: ["TraceLog"]),
        .library(name: "TraceRecorder", targets: ["TraceRecorder"]),
        .library(name: "TraceAnalysis", targets: ["TraceAnalysis"]),
        .library(name: "TraceInterchange", targets: ["TraceInterchange"]),
        .library(name: "TraceExport", targets: ["TraceExport"]),
        .executable(name: "trace-analyze", targets: ["trace-analyze"]),
        .library(name: "TraceTelemetry", targets: ["TraceTelemetry"]),
        .executable(name: "trace-record", targets: ["trace-record"]),
        .library(name: "TraceTracing", targets: ["TraceTracing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C libraries from the system (Debian: libzstd-dev, libsqlite3-dev).
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),

        // The log format: events, record codec, segments, frames, reader.
        .target(name: "TraceLog", dependencies: ["CZstd"]),
        // The hot-path recording API and its background writer.
        .target(name: "TraceRecorder", dependencies: ["TraceLog"]),
        // JSON Lines interchange: parse and print events.
        .target(name: "TraceInterchange", dependencies: ["TraceLog"]),
        // Metric sets and views; pure and deterministic.
        .target(name: "TraceAnalysis", dependencies: ["TraceLog"]),
        // Views for people and databases: Perfetto timeline, HTML report, SQLite store.
        .target(name: "TraceExport", dependencies: ["TraceLog", "TraceAnalysis", "TraceInterchange", "CSQLite"]),
        // The commands of `trace-analyze`, as a library so tests can run them.
        .target(
            name: "TraceCommands",
            dependencies: [
                "TraceLog", "TraceRecorder", "TraceInterchange", "TraceAnalysis", "TraceExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "trace-analyze", dependencies: ["TraceCommands"]),
        // Telemetry sources (RAPL, NVML, /proc, synthetic) and the background sampler.
        .target(name: "TraceTelemetry", dependencies: ["TraceRecorder", "TraceLog"]),
        // A Tracer of apple/swift-distributed-tracing that records GenAI spans.
        .target(
            name: "TraceTracing",
            dependencies: [
                "TraceRecorder", "TraceLog", "TraceInterchange",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The OTLP/HTTP endpoint of trace-record: protobuf (generated code,
        // committed) and JSON spans, gzip, on swift-nio.
        .target(
            name: "TraceOTLP",
            dependencies: [
                "TraceInterchange", "TraceLog", "CZlib",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The one process-control call Swift cannot import (prctl is variadic).
        .target(name: "CProcessControl"),
        // `trace-record`: runs a command, samples telemetry, takes events on a Unix socket.
        .executableTarget(
            name: "trace-record",
            dependencies: [
                "TraceTelemetry", "TraceRecorder", "TraceLog", "TraceInterchange", "CProcessControl", "TraceOTLP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tools.
        .executableTarget(
            name: "demo-agent",
            dependencies: ["TraceRecorder", "TraceLog"],
            path: "tools/demo-agent"
        ),
        // Well-formed logs full of extreme values, and the structure-aware
        // fuzzer that runs every command over them (tools/fuzz.sh structured N).
        .target(name: "HostileLogs", dependencies: ["TraceRecorder", "TraceLog", "EnergySimulation"], path: "tools/hostile-logs"),
        .executableTarget(name: "structured-fuzz", dependencies: ["HostileLogs"], path: "tools/structured-fuzz"),
        // Records at a high rate until killed, for the crash-recovery test
        // (tools/crash-recovery.sh).
        .executableTarget(
            name: "stress-recorder",
            dependencies: ["TraceRecorder", "TraceLog"],
            path: "tools/stress-recorder"
        ),
        // A simulated run with known energy ground truth, and the study that
        // compares metric sets against it.
        .target(name: "EnergySimulation", dependencies: ["TraceAnalysis", "TraceLog"], path: "tools/energy-simulation"),
        .executableTarget(
            name: "accuracy-study",
            dependencies: ["TraceAnalysis", "TraceLog", "EnergySimulation"],
            path: "tools/accuracy-study",
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),

        // Tests.
        .testTarget(name: "TraceLogTests", dependencies: ["TraceLog"]),
        .testTarget(name: "TraceRecorderTests", dependencies: ["TraceRecorder", "TraceLog"]),
        .testTarget(
            name: "TraceTracingTests",
            dependencies: ["TraceTracing", "TraceRecorder", "TraceLog", .product(name: "Tracing", package: "swift-distributed-tracing")]
        ),
        .testTarget(name: "TraceInterchangeTests", dependencies: ["TraceInterchange", "TraceLog"]),
        .testTarget(name: "TraceAnalysisTests", dependencies: ["TraceAnalysis", "TraceLog", "EnergySimulation"]),
        .testTarget(name: "TraceExportTests", dependencies: ["TraceExport", "TraceAnalysis", "TraceLog", "CSQLite"]),
        .testTarget(
            name: "TraceCommandsTests",
            dependencies: [
                "TraceCommands", "TraceLog", "TraceRecorder", "TraceInterchange", "TraceAnalysis", "TraceExport", "CSQLite",
                "HostileLogs", "EnergySimulation",
            ],
            resources: []
        ),
        .testTarget(name: "TraceTelemetryTests", dependencies: ["TraceTelemetry", "TraceRecorder", "TraceLog"]),
        .testTarget(name: "TraceRecordTests", dependencies: ["trace-record", "TraceLog", "TraceRecorder", "TraceOTLP"]),
    ],
    swiftLanguageModes: [.v6]
)
