import Foundation
import Testing
import TraceLog
@testable import TraceCommands

/// The progress bar's text and its silence when not on a terminal.
@Suite struct ProgressBarTests {
    @Test func theLineShowsTheFraction() {
        let line = ProgressBar.line(label: "rows", done: 5, total: 10, width: 10)
        #expect(line == "\rrows [#####.....] 50% (5/10)\u{1B}[K")
        #expect(ProgressBar.line(label: "x", done: 0, total: 0, width: 4) == "\rx [....] 0% (0/0)\u{1B}[K")
    }

    @Test func aDisabledBarIsSilent() {
        let bar = ProgressBar("rows", enabled: false, delay: .zero)
        bar.update(1, of: 2)
        bar.finish()
    }
}

/// Item 12: progress by bytes read, on a terminal only.
@Suite struct ReadingProgressTests {
    @Test func theLineSaysHowMuchOfWhichPassIsRead() {
        #expect(ReadingProgress.line(label: "analysing", read: 120_000_000, total: 265_000_000, elapsed: .seconds(14))
            == "\ranalysing: 120 MB of 265 MB read, 14 s\u{1B}[K")
        #expect(ReadingProgress.line(label: "report", read: 400_000_000, total: 265_000_000, elapsed: .seconds(31))
            == "\rreport: 135 MB of 265 MB read (pass 2), 31 s\u{1B}[K")
    }

    @Test func everyFrameReadIsCounted() throws {
        let log = bundledLogs().last!.path
        let frames = LogReader.readFile(log).segments.reduce(0) { $0 + $1.compressedBytes }
        let before = ReadProgress.bytes
        _ = LogReader.readFile(log)
        // Other tests may read at the same time: at least this file's frames.
        #expect(ReadProgress.bytes - before >= frames)
    }

    @Test func aTerminalSeesProgressAndAPipeDoesNot() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { return }
        let log = bundledLogs().last!.path
        // Under a pseudo-terminal (script), the reading is shown and cleared.
        // Several copies of the log (read as duplicates) so the reading lasts
        // a few redraws.
        let logs = Array(repeating: "'\(log)'", count: 8).joined(separator: " ")
        let shell = "AGENT_TRACE_PROGRESS_DELAY_MS=0 '\(traceAnalyzeBinary.path)' \(logs) --by query >/dev/null 2>/dev/tty"
        let terminal = try runProcess(script, ["-qec", shell, "/dev/null"])
        #expect(terminal.status == 0)
        #expect(terminal.stdout.contains("analysing: ") && terminal.stdout.contains(" read"), "\(terminal.stdout)")
        #expect(terminal.stdout.contains("\u{1B}[K"))
        // --quiet and a pipe: nothing.
        let quiet = try runProcess(script, ["-qec", shell + " --quiet", "/dev/null"])
        #expect(!quiet.stdout.contains("analysing: "))
        let piped = try runProcess(traceAnalyzeBinary, [log, "--by", "query"])
        #expect(!piped.stderr.contains("analysing: "))
        // import shows its input read (the hash pass, then the lines).
        let dir = temporaryDirectory()
        let dumped = try runProcess(traceAnalyzeBinary, ["dump", log]).stdout
        let events = dir.appendingPathComponent("events.jsonl")
        try Data(String(repeating: dumped, count: 20).utf8).write(to: events)
        let importing = "AGENT_TRACE_PROGRESS_DELAY_MS=0 '\(traceAnalyzeBinary.path)' import '\(events.path)' -o '\(dir.path)/x.zst' 2>/dev/tty >/dev/null"
        let imported = try runProcess(script, ["-qec", importing, "/dev/null"])
        #expect(imported.stdout.contains("importing: "), "\(imported.stdout)")
    }
}
