#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress bar on standard error for commands that may run long.
///
/// It draws only when standard error is a terminal and only once the work
/// has taken more than ``delay``, redraws at most every ``interval``, and
/// clears its line in ``finish()``, so piped output and quick runs never
/// see it.
final class ProgressBar {
    /// What is being done (`analysing`, `inserting rows`).
    private var label: String
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false
    /// Nothing is drawn before this much time has passed.
    let delay: Duration
    /// The shortest time between two redraws.
    let interval: Duration

    /// Whether standard error is a terminal.
    static var onTerminal: Bool { isatty(2) != 0 }

    /// Creates a bar; `enabled` defaults to whether standard error is a terminal.
    init(_ label: String, enabled: Bool = isatty(2) != 0, delay: Duration = .seconds(1), interval: Duration = .milliseconds(100)) {
        self.label = label
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
    }

    /// Switches to another phase of the work.
    func phase(_ label: String) {
        self.label = label
        lastDraw = nil
    }

    /// Reports `done` of `total` units.
    func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - started >= delay else { return }
        if let lastDraw, now - lastDraw < interval, done < total { return }
        lastDraw = now
        drawn = true
        StandardStreams.err(Self.line(label: label, done: done, total: total, width: 30))
    }

    /// Clears the bar's line if it was drawn.
    func finish() {
        if drawn { StandardStreams.err("\r\u{1B}[K") }
        drawn = false
    }

    /// The text of one redraw: `\r` then `label [#####.....]  42% (n/total)`.
    static func line(label: String, done: Int, total: Int, width: Int) -> String {
        let fraction = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\r\(label) [\(bar)] \(Int((fraction * 100).rounded(.down)))% (\(done)/\(total))\u{1B}[K"
    }
}
