import Synchronization

/// The lines of the socket that could not be decoded: all counted, the
/// first few kept with their connection and line numbers for the report.
final class MalformedLines: Sendable {
    /// One kept line.
    struct Entry: Sendable {
        var connection: Int
        var line: Int
        var problem: String
        var text: String
    }

    /// How many lines are kept for the report.
    static let keep = 10
    /// How much of a line is shown.
    static let shownBytes = 160

    private let state = Mutex((count: 0, entries: [Entry]()))

    /// Counts a malformed line; `bytes` holds its start, `totalBytes` its
    /// whole length when that is more.
    func add(connection: Int, line: Int, problem: String, bytes: UnsafeBufferPointer<UInt8>, totalBytes: Int? = nil) {
        state.withLock { state in
            state.count += 1
            guard state.entries.count < Self.keep else { return }
            let total = max(totalBytes ?? bytes.count, bytes.count)
            var text = String(decoding: bytes.prefix(Self.shownBytes), as: UTF8.self)
            if total > Self.shownBytes { text += "… (\(total) bytes)" }
            state.entries.append(Entry(connection: connection, line: line, problem: problem, text: text))
        }
    }

    /// Lines counted.
    var count: Int { state.withLock { $0.count } }

    /// The report printed at exit, or nil when every line was good.
    func report() -> String? {
        let (count, entries) = state.withLock { ($0.count, $0.entries) }
        guard count > 0 else { return nil }
        var text = "trace-record: \(count) malformed line\(count == 1 ? "" : "s") on the event socket "
            + "\(count == 1 ? "was" : "were") skipped (the other events were kept)"
        text += count > entries.count ? "; the first \(entries.count):\n" : ":\n"
        for entry in entries {
            text += "  connection \(entry.connection), line \(entry.line): \(entry.problem)\n    \(entry.text)\n"
        }
        return text
    }
}
