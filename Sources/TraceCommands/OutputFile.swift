#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure while a command runs (not a mistake in its arguments): printed
/// as `Error: MESSAGE` with no usage text, exit 1.
struct CommandError: Error, CustomStringConvertible {
    /// What went wrong, naming the file and, where there is one, the fix.
    var description: String

    init(_ description: String) { self.description = description }
}

/// Writes a command's output file, or standard output for `-`.
///
/// A regular file is written to a temporary file in the same directory
/// (`.NAME.partial-PID`) and renamed over the output only once complete:
/// a failed write leaves the old file (or nothing) behind, never half a
/// report, and a symlink at the output path is replaced, not followed. A
/// path that exists and is not a regular file (a FIFO, `/dev/null`) is
/// written in place. An output that is also an input is refused.
enum OutputFile {
    /// Opens `path` and hands `body` a function that writes text to it
    /// piece by piece; `inputs` are the paths the command reads.
    static func streaming(to path: String, inputs: [String] = [], _ body: (_ write: (String) -> Void) -> Void) throws {
        if path == "-" {
            body { StandardStreams.out($0) }
            return
        }
        try refuseInput(path, inputs)
        let target = Target(path)
        let descriptor = try target.open()
        var failure: Int32 = 0
        body { text in
            guard failure == 0 else { return }
            var text = text
            text.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += n
                }
            }
        }
        try target.finish(descriptor, failure: failure)
    }

    /// Writes `text` to `path` whole.
    static func write(_ text: String, to path: String, inputs: [String] = []) throws {
        try streaming(to: path, inputs: inputs) { write in write(text) }
    }

    /// Refuses an output path that names one of the inputs (the same file,
    /// by device and inode): writing it would destroy the input.
    static func refuseInput(_ path: String, _ inputs: [String]) throws {
        var out = stat()
        guard stat(path, &out) == 0 else { return }
        for input in inputs {
            var other = stat()
            if stat(input, &other) == 0, other.st_dev == out.st_dev, other.st_ino == out.st_ino {
                throw CommandError("\(path): is also an input; give another output path (-o)")
            }
        }
    }

    /// Fails, naming the fix, when the directory an output goes into does
    /// not exist (before any work is done for it).
    static func requireDirectory(of path: String) throws {
        var info = stat()
        guard stat(parent(path), &info) == 0 else {
            throw CommandError("\(path): cannot write: \(reason(ENOENT, directoryOf: path))")
        }
    }

    /// Creates directory `path` and its missing parents.
    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw CommandError("\(path): cannot create the directory: \(prefix) exists and is not a directory")
                }
            } else if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw CommandError("\(path): cannot create the directory: \(Self.reason(errno, directoryOf: prefix))")
            }
            prefix += "/"
        }
    }

    /// Why a write failed, in words, with the likely fix.
    static func reason(_ code: Int32, directoryOf path: String) -> String {
        let directory = parent(path)
        switch code {
        case ENOENT:
            var info = stat()
            return stat(directory, &info) == 0 ? "cannot create a file in \(directory)" : "the directory \(directory) does not exist"
        case EACCES, EPERM: return "permission denied in \(directory)"
        case ENOSPC: return "no space left on the device"
        case EROFS: return "\(directory) is on a read-only file system"
        default: return String(cString: strerror(code))
        }
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Where the bytes go: a temporary file renamed at the end, or the
    /// path itself when it is not a regular file.
    private struct Target {
        let path: String
        let temporary: String?

        init(_ path: String) {
            self.path = path
            var info = stat()
            let exists = lstat(path, &info) == 0
            let special = exists && info.st_mode & S_IFMT != S_IFREG && info.st_mode & S_IFMT != S_IFLNK
            if special {
                temporary = nil
            } else {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let directory = OutputFile.parent(path)
                temporary = (directory == "." && !path.hasPrefix("./") ? "" : directory + "/") + ".\(name).partial-\(getpid())"
            }
        }

        func open() throws -> Int32 {
            let descriptor: Int32
            if let temporary {
                descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            } else {
                descriptor = Glibc.open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            }
            guard descriptor >= 0 else {
                throw CommandError("\(path): cannot write: \(OutputFile.reason(errno, directoryOf: path))")
            }
            return descriptor
        }

        func finish(_ descriptor: Int32, failure: Int32) throws {
            var failure = failure
            // A FIFO or /dev/null cannot be synced (EINVAL): the write is
            // complete all the same.
            if failure == 0, temporary != nil, fsync(descriptor) != 0, errno != EINVAL { failure = errno }
            if close(descriptor) != 0 && failure == 0 && errno != EINTR { failure = errno }
            if failure == 0, let temporary, rename(temporary, path) != 0 { failure = errno }
            if failure != 0 {
                if let temporary { unlink(temporary) }
                throw CommandError("\(path): cannot write: \(OutputFile.reason(failure, directoryOf: path))")
            }
        }
    }
}
