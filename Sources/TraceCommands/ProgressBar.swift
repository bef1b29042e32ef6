#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TraceAnalysis
import TraceLog

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
        StandardStreams.errRaw(Self.line(label: label, done: done, total: total, width: 30))
    }

    /// Clears the bar's line if it was drawn.
    func finish() {
        if drawn { StandardStreams.errRaw("\r\u{1B}[K") }
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

/// Progress on a terminal while logs are read: `LABEL: 120 MB of 265 MB
/// read (pass 2), 14 s`, from ``ReadProgress``, redrawn by a thread of its
/// own every 200 ms once a second has passed (`AGENT_TRACE_PROGRESS_DELAY_MS`
/// sets another delay, for tests), cleared by ``stop()``. Nothing is drawn
/// when standard error is not a terminal or with `--quiet`.
final class ReadingProgress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let start = ReadProgress.bytes
    private let started = ContinuousClock.now
    private let lock = NSLock()
    private var running = true
    private var drawn = false
    private var thread: Thread?
    private let delay: Duration = .milliseconds(
        ProcessInfo.processInfo.environment["AGENT_TRACE_PROGRESS_DELAY_MS"].flatMap { Int($0) } ?? 1000)

    /// Starts showing the reading of `files` (their sizes are the total of one pass).
    convenience init(_ label: String, files: [String], enabled: Bool) {
        let total = files.reduce(0) { sum, path in
            var info = stat()
            return sum + (stat(path, &info) == 0 ? Int(info.st_size) : 0)
        }
        self.init(label, total: total, counting: false, enabled: enabled)
    }

    /// Starts showing the reading of `total` bytes of one input whose
    /// reader reports its offset (``advance(to:)``), not through
    /// ``ReadProgress`` (JSON Lines for `import`).
    convenience init(_ label: String, bytes total: Int, enabled: Bool) {
        self.init(label, total: total, counting: true, enabled: enabled)
    }

    /// Bytes read so far as reported by ``advance(to:)`` (when counting).
    private var reported: Int?
    private var lastOffset = 0
    private var passes = 0

    private init(_ label: String, total: Int, counting: Bool, enabled: Bool) {
        self.label = label
        self.total = total
        if counting { reported = 0 }
        guard enabled, total > 0 else {
            running = false
            return
        }
        let thread = Thread { [self] in self.loop() }
        self.thread = thread
        thread.start()
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: delay < .milliseconds(200) ? 0.02 : 0.2)
            lock.lock()
            defer { lock.unlock() }
            guard running else { return }
            let elapsed = ContinuousClock.now - started
            guard elapsed >= delay else { continue }
            StandardStreams.errRaw(Self.line(label: label, read: reported ?? ReadProgress.bytes - start, total: total, elapsed: elapsed))
            drawn = true
        }
    }

    /// The reader is at `offset` of its input; an offset below the last
    /// one starts another pass.
    func advance(to offset: Int) {
        lock.lock()
        defer { lock.unlock() }
        if offset < lastOffset { passes += 1 }
        lastOffset = offset
        reported = passes * total + offset
    }

    /// Stops drawing and clears the line.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        running = false
        if drawn { StandardStreams.errRaw("\r\u{1B}[K") }
        drawn = false
    }

    /// `\rLABEL: 120 MB of 265 MB read (pass 2), 14 s` (megabytes of 10⁶ bytes).
    static func line(label: String, read: Int, total: Int, elapsed: Duration) -> String {
        let pass = total > 0 ? read / total + 1 : 1
        let inPass = total > 0 ? read - (pass - 1) * total : read
        func mb(_ bytes: Int) -> String { ValueText.display(Double(bytes) / 1e6) + " MB" }
        return "\r\(label): \(mb(inPass)) of \(mb(total)) read" + (pass > 1 ? " (pass \(pass))" : "")
            + ", \(elapsed.components.seconds) s\u{1B}[K"
    }
}
