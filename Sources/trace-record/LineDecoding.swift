import TraceInterchange
import TraceLog

/// What one line of the socket turned into.
enum LineOutcome {
    /// An empty or whitespace-only line: skipped silently.
    case blank
    /// An event, with its wall-clock time (ns since the epoch) if the line had one.
    case event(timestamp: Int64?, payload: EventPayload)
    /// A line that could not be decoded, and why.
    case malformed(String)
}

/// Turns one line's bytes (without its newline) into an event. One decoder
/// per connection thread, so implementations may keep buffers.
protocol LineDecoding {
    /// Decodes one line.
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>) -> LineOutcome
}

/// The JSON Lines interchange decoder of `TraceInterchange`.
struct InterchangeLineDecoder: LineDecoding {
    private var decoder = InterchangeDecoder()

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>) -> LineOutcome {
        do {
            guard let decoded = try decoder.decode(line) else { return .blank }
            return .event(timestamp: decoded.timestamp, payload: decoded.payload)
        } catch {
            return .malformed(error.description)
        }
    }
}
