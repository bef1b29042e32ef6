#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and directory listings through the C library, with
/// errors that name the path.
enum FileBytes {
    /// The most read from a file that is not a regular one (a pipe,
    /// `/dev/stdin`, a device): 512 MiB. `/dev/zero` never ends.
    static let nonRegularLimit = 512 << 20

    /// Reads the whole file at `path`; at most `limit` bytes of one that is
    /// not a regular file (more is an error naming the limit).
    static func read(_ path: String, limit: Int = nonRegularLimit) -> Result<[UInt8], FileError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(FileError(path: path, operation: "open", code: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(FileError(path: path, operation: "stat", code: errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(FileError(path: path, operation: "read", code: EISDIR)) }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileError(path: path, operation: "read", code: errno))
            }
            if n == 0 { break }
            if !regular && bytes.count + n > limit {
                var error = FileError(path: path, operation: "read", code: EFBIG)
                error.detail = "not a regular file and longer than \(limit) bytes: stopped reading"
                return .failure(error)
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .success(bytes)
    }

    /// Whether `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in directory `path`, sorted bytewise.
    static func list(_ path: String) -> Result<[String], FileError> {
        guard let dir = opendir(path) else { return .failure(FileError(path: path, operation: "opendir", code: errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}

/// A failed file operation.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// What was attempted (`open`, `write`, `fsync`, …).
    public var operation: String
    /// The errno value.
    public var code: Int32
    /// What happened, when the errno says too little.
    public var detail: String?

    /// Creates an error.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// `PATH: OPERATION failed: strerror`.
    public var description: String { "\(path): \(reason)" }

    /// What failed, without the path (for messages that name the file
    /// already): `OPERATION failed: strerror`, or `no such file or
    /// directory` when nothing is there.
    public var reason: String {
        if let detail { return detail }
        return code == ENOENT ? "no such file or directory" : "\(operation) failed: \(String(cString: strerror(code)))"
    }
}

/// A file mapped read-only into memory, whose pages can be given back as a
/// reader moves past them, so reading a file of any size holds little of it
/// at a time.
extension FileBytes {
    /// Whether `path` is a regular file, or nothing at all (which every
    /// pass reports the same way).
    static func isRegularFileOrMissing(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        return (info.st_mode & S_IFMT) == S_IFREG
    }
}

package final class MappedFile {
    /// The file's bytes (empty for an empty file).
    package let bytes: UnsafeRawBufferPointer
    /// Whether `bytes` is a mapping (else owned memory, from a plain read).
    private let isMapped: Bool
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    private var released = 0

    private init(bytes: UnsafeRawBufferPointer, isMapped: Bool) {
        self.bytes = bytes
        self.isMapped = isMapped
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            base.deallocate()
        }
    }

    /// Maps the file at `path` (its first `limit` bytes at most); reads it
    /// into memory instead when it cannot be mapped (not a regular file, say).
    package static func open(_ path: String, limit: Int? = nil) -> Result<MappedFile, FileError> {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(FileError(path: path, operation: "open", code: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(FileError(path: path, operation: "stat", code: errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(FileError(path: path, operation: "read", code: EISDIR)) }
        let size = min(Int(info.st_size), limit ?? .max)
        if size > 0, (info.st_mode & S_IFMT) == S_IFREG,
           let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED {
            madvise(base, size, MADV_SEQUENTIAL)
            return .success(MappedFile(bytes: UnsafeRawBufferPointer(start: base, count: size), isMapped: true))
        }
        switch FileBytes.read(path) {
        case .success(var copy):
            if let limit, copy.count > limit { copy.removeLast(copy.count - limit) }
            guard !copy.isEmpty else { return .success(MappedFile(bytes: UnsafeRawBufferPointer(start: nil, count: 0), isMapped: false)) }
            let owned = UnsafeMutableRawBufferPointer.allocate(byteCount: copy.count, alignment: 16)
            copy.withUnsafeBytes { owned.copyMemory(from: $0) }
            return .success(MappedFile(bytes: UnsafeRawBufferPointer(owned), isMapped: false))
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Gives back the whole pages before byte `offset` (read again from the
    /// file if touched later).
    package func release(before offset: Int) {
        guard isMapped, let base = bytes.baseAddress else { return }
        let end = (min(offset, bytes.count) / pageSize) * pageSize
        guard end > released else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, MADV_DONTNEED)
        released = end
    }

    /// Gives back the whole pages inside `range` (for readers that jump
    /// between frames).
    package func release(_ range: Range<Int>) {
        guard isMapped, let base = bytes.baseAddress else { return }
        let start = ((range.lowerBound + pageSize - 1) / pageSize) * pageSize
        let end = (min(range.upperBound, bytes.count) / pageSize) * pageSize
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
