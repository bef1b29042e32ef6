#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or directory of a telemetry tree that could not be read.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// The `errno` value (`EACCES`, `ENOENT`, …).
    public var code: Int32

    /// Creates an error.
    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    /// Whether the file exists but may not be read (`EACCES` or `EPERM`).
    public var isPermissionDenied: Bool { code == EACCES || code == EPERM }

    /// `path: strerror(code)`.
    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}
