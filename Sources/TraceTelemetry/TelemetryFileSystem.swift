#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// How telemetry sources read files and list directories.
///
/// Sources take one so tests can run them on fixture trees and simulate
/// failures that the real file system does not show to root (a file of mode
/// 000 is readable by root, so `EACCES` is injected instead).
public struct TelemetryFileSystem: Sendable {
    /// Reads a small text file whole.
    public var readFile: @Sendable (String) throws(FileAccessError) -> String
    /// Lists the names in a directory (without `.` and `..`).
    public var listDirectory: @Sendable (String) throws(FileAccessError) -> [String]

    /// Creates a file system from its two operations.
    public init(
        readFile: @escaping @Sendable (String) throws(FileAccessError) -> String,
        listDirectory: @escaping @Sendable (String) throws(FileAccessError) -> [String]
    ) {
        self.readFile = readFile
        self.listDirectory = listDirectory
    }

    /// The real file system, read with `open`/`read` (sysfs and procfs files
    /// are small and change between reads, so nothing is cached).
    public static let live = TelemetryFileSystem(
        readFile: { path throws(FileAccessError) in try LiveFiles.read(path) },
        listDirectory: { path throws(FileAccessError) in try LiveFiles.list(path) })

    /// Reads a file and parses its trimmed text as an integer.
    func readInteger(_ path: String) throws(FileAccessError) -> Int64? {
        Int64(try readFile(path).trimmingWhitespace())
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}

/// The system calls behind ``TelemetryFileSystem/live``.
enum LiveFiles {
    static func read(_ path: String) throws(FileAccessError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: path, code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, code: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func list(_ path: String) throws(FileAccessError) -> [String] {
        guard let directory = opendir(path) else { throw FileAccessError(path: path, code: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
