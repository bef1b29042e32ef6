#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends compressed segments (zstd frames) to a log file.
///
/// A frame is either written whole or not at all: when a write fails
/// part-way (a full disk, an I/O error), the file is truncated back to the
/// end of the last complete frame, so the log stays valid.
public final class LogFileWriter {
    /// The file's path.
    public let path: String
    private var descriptor: Int32
    /// Bytes of complete frames in the file.
    public private(set) var byteCount: Int = 0

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws(FileError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open", code: errno) }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Appends one frame.
    public func append(_ frame: UnsafeRawBufferPointer) throws(FileError) {
        guard descriptor >= 0 else { throw FileError(path: path, operation: "write", code: EBADF) }
        var written = 0
        while written < frame.count {
            let n = write(descriptor, frame.baseAddress! + written, frame.count - written)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                rollBack()
                throw FileError(path: path, operation: "write", code: code)
            }
            written += n
        }
        byteCount += frame.count
    }

    private func rollBack() {
        _ = ftruncate(descriptor, off_t(byteCount))
        _ = lseek(descriptor, off_t(byteCount), SEEK_SET)
    }

    /// Makes everything appended so far durable (fsync). A file that
    /// cannot be synced — a FIFO, a terminal, /dev/null: fsync fails with
    /// EINVAL — has nothing more to make durable: that is not an error.
    public func sync() throws(FileError) {
        guard descriptor >= 0 else { return }
        if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
            throw FileError(path: path, operation: "fsync", code: errno)
        }
    }

    /// Syncs and closes the file; later appends fail.
    public func close() throws(FileError) {
        guard descriptor >= 0 else { return }
        defer {
            Glibc.close(descriptor)
            descriptor = -1
        }
        try sync()
    }
}
