import Foundation
import TraceAnalysis
import TraceLog

/// The content hash that identifies a set of log files in the database.
///
/// For one file it is the SHA-256 of the file's bytes (what `sha256sum`
/// prints). For several files it is the SHA-256 of their bytes concatenated
/// in the order of each file's own SHA-256 digest, so the same files give
/// the same hash whatever order or names they are given under.
public enum LogContentHash {
    /// The hash of the files (already expanded from directories), as 64
    /// lowercase hex digits; unreadable files count as empty.
    public static func hex(ofFiles paths: [String]) -> String {
        let contents = paths.map { FileManager.default.contents(atPath: $0) ?? Data() }
        if contents.count == 1 { return hex(contents[0]) }
        let ordered = contents.map { (digest: hex($0), bytes: $0) }.sorted { $0.digest < $1.digest }
        var hash = SHA256Hasher()
        for file in ordered { file.bytes.withUnsafeBytes { hash.update($0) } }
        return hash.finalizeHex()
    }

    /// The SHA-256 of some bytes, as 64 lowercase hex digits.
    public static func hex(_ data: Data) -> String {
        var hash = SHA256Hasher()
        data.withUnsafeBytes { hash.update($0) }
        return hash.finalizeHex()
    }
}
