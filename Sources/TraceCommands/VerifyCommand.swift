import ArgumentParser
import TraceLog

/// `trace-analyze verify LOG...`: segments, events and damage.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check logs frame by frame; exit 0 only when every frame is intact.",
        discussion: """
            Prints, per file, its segments, events and bytes, then every problem found \
            with its file, segment and byte offset.
            """)

    @OptionGroup var inputs: LogInputs

    @Flag(name: .long, help: "Print only the files that are not intact and their errors.")
    var quiet = false

    func run() throws {
        // One pass that keeps no events: memory does not grow with the logs.
        let progress = inputs.reading("verifying", Messages(quiet: quiet))
        let log = LogIndex.build(inputs.logs)
        progress.stop()
        var intact = true
        for file in log.files {
            let runs = Set(file.segments.map(\.segment.header.runID)).count
            let ok = file.isIntact
            intact = intact && ok
            if let unreadable = log.diagnostics.first(where: { $0.file == file.path && $0.isUnreadableInput }),
               file.segments.isEmpty {
                StandardStreams.out(TerminalText.safe(
                    "\(file.path): UNREADABLE: 0 segments, 0 events, \(file.byteCount) bytes, 0 runs: \(unreadable.message)") + "\n")
                continue
            }
            if quiet && ok { continue }
            StandardStreams.out(
                "\(file.path): \(ok ? "ok" : "DAMAGED"): \(file.segments.count) segments, "
                    + "\(file.eventCount) events, \(file.byteCount) bytes, \(runs) run\(runs == 1 ? "" : "s")"
                    + (file.damagedFrames > 0 ? ", \(file.damagedFrames) damaged frames" : "") + "\n")
        }
        for diagnostic in log.diagnostics
        where !diagnostic.isUnreadableInput && !(quiet && diagnostic.severity == .warning && !diagnostic.isGap) {
            StandardStreams.out(TerminalText.safe("  \(diagnostic)") + "\n")
        }
        let conflicts = log.diagnostics.filter(\.isConflict).count
        if conflicts > 0 {
            StandardStreams.out("CONFLICT: \(conflicts) segment\(conflicts == 1 ? "" : "s") claimed by two different logs of one run\n")
        }
        let gaps = log.diagnostics.filter(\.isGap).count
        if gaps > 0 {
            StandardStreams.out("GAPS: \(gaps) place\(gaps == 1 ? "" : "s") where a run's segments are missing\n")
        }
        if !intact || log.files.isEmpty || conflicts > 0 || gaps > 0 { throw ExitCode(1) }
    }
}
