import Foundation
import TraceTelemetry

/// Paths of the repository's fixture trees, and scratch copies of them.
enum Fixtures {
    /// The repository's `fixtures/` directory.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures").path
    }()

    /// `fixtures/powercap/two-packages`.
    static var twoPackages: String { root + "/powercap/two-packages" }
    /// `fixtures/proc`.
    static var proc: String { root + "/proc" }

    /// A fresh copy of a fixture tree in a temporary directory.
    static func copy(_ path: String) throws -> String {
        let destination = FileManager.default.temporaryDirectory
            .appendingPathComponent("agent-trace-fixture-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: path, toPath: destination)
        return destination
    }

    /// Overwrites a file with `text`.
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}

extension TelemetryFileSystem {
    /// The real file system, except that reading a path for which `denied`
    /// is true fails with `EACCES`: what a non-root user meets on
    /// `energy_uj` since CVE-2020-8694 (root reads mode-000 files anyway).
    static func denying(_ denied: @escaping @Sendable (String) -> Bool) -> TelemetryFileSystem {
        let live = TelemetryFileSystem.live
        return TelemetryFileSystem(
            readFile: { path throws(FileAccessError) in
                if denied(path) { throw FileAccessError(path: path, code: EACCES) }
                return try live.readFile(path)
            },
            listDirectory: live.listDirectory)
    }
}
