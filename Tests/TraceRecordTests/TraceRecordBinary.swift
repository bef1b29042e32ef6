import Foundation

/// Runs the `trace-record` executable that `swift build` put next to the
/// test bundle (CI runs `swift build` before `swift test`; this target also
/// depends on it). A missing binary is a test failure, not a skip.
enum TraceRecordBinary {
    /// What one run gave back.
    struct Result {
        var status: Int32
        var standardError: String
        var standardOutput = ""
    }

    /// The repository root.
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Where the binary is: `$SWIFT_BUILD_DIR/trace-record`, beside the test
    /// bundle, or under the repository's `.build/debug`.
    static func locate(_ name: String = "trace-record") throws -> URL {
        var candidates: [URL] = []
        if let directory = ProcessInfo.processInfo.environment["SWIFT_BUILD_DIR"] {
            candidates.append(URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        var bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<4 {
            bundle.deleteLastPathComponent()
            candidates.append(bundle.appendingPathComponent(name))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(name))
        candidates.append(repository.appendingPathComponent(".build/debug/" + name))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw MissingBinary(searched: candidates.map(\.path))
    }

    /// The binary was not built.
    struct MissingBinary: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "trace-record is not built (run `swift build` before `swift test`); looked in: "
                + searched.joined(separator: ", ")
        }
    }

    /// Runs `trace-record arguments`, optionally sending `signal` to it after
    /// `signalAfter` seconds, and waits for it.
    static func run(
        _ arguments: [String], signal: Int32? = nil, signalAfter: Double = 0.5, environment: [String: String] = [:],
        directory: URL? = nil, shell: Bool = false, binary: String = "trace-record"
    ) throws -> Result {
        let process = Process()
        process.executableURL = shell ? URL(fileURLWithPath: "/bin/sh") : try locate(binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory ?? repository
        let errors = Pipe()
        process.standardError = errors
        // Standard output goes to a file (no pipe for a chatty child to fill).
        let outputPath = temporaryLog() + ".stdout"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        try process.run()
        if let signal {
            Thread.sleep(forTimeInterval: signalAfter)
            kill(process.processIdentifier, signal)
        }
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? output.close()
        let printed = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
        return Result(
            status: process.terminationStatus, standardError: String(decoding: data, as: UTF8.self),
            standardOutput: String(decoding: printed, as: UTF8.self))
    }

    /// A fresh path for a log.
    static func temporaryLog() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trace-record-\(UUID().uuidString).zst").path
    }
}
