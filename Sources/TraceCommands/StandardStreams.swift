#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceLog

/// Unbuffered whole writes to standard output and error (callers pass
/// large chunks).
enum StandardStreams {
    /// Writes `text` to standard output.
    static func out(_ text: String) { write(text, to: 1) }
    /// Writes `text` to standard error, made safe for a terminal
    /// (``TerminalText``: messages quote names from the logs).
    static func err(_ text: String) { write(TerminalText.safe(text), to: 2) }

    /// Writes `text` to standard error as it is (the progress line's own
    /// escapes).
    static func errRaw(_ text: String) { write(text, to: 2) }
    /// Writes raw bytes to standard output.
    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll($0, to: 1) }
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing more to say
            }
            offset += n
        }
    }
}
