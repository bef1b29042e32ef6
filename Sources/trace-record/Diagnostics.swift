#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceLog

/// Messages to standard error.
enum Diagnostics {
    /// Whether warnings are left out (`--quiet`); set once, before any thread starts.
    nonisolated(unsafe) static var quiet = false

    /// Writes a warning (something recorded without, not lost) unless quiet.
    static func warn(_ message: String) {
        if !quiet { print(message) }
    }

    /// Writes `message` and a newline to standard error, unbuffered.
    static func print(_ message: String) {
        // Names and lines from the socket must not reach a terminal raw.
        var text = TerminalText.safe(message)
        if !text.hasSuffix("\n") { text += "\n" }
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
