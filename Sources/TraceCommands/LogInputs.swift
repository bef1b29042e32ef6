import ArgumentParser
import Foundation
import TraceAnalysis
import TraceLog

/// The log files, directories or both that a command reads.
struct LogInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Log files (.zst) or directories of them.", valueName: "log"))
    var logs: [String] = []

    func validate() throws {
        if logs.isEmpty { throw ValidationError("Give at least one log file or directory.") }
        if let first = logs.first, let command = Self.misspelledCommand(first) {
            throw ValidationError("\(first): no such file or directory, and no such command; did you mean `\(command)`?")
        }
    }

    /// The subcommand `path` is a close misspelling of, when nothing exists
    /// at `path` (`exprot` → `export`): at most one edit for names of up
    /// to five letters, two for longer ones (a swap of neighbours is one).
    static func misspelledCommand(_ path: String) -> String? {
        guard !path.contains("/"), !FileManager.default.fileExists(atPath: path) else { return nil }
        let names = TraceAnalyzeCommand.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        let word = Array(path.lowercased().utf8)
        return names.first { name in
            let limit = name.count <= 5 ? 1 : 2
            return name != path && editDistance(word, Array(name.utf8)) <= limit
        }
    }

    /// The optimal-string-alignment distance of two byte strings.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// Exits 1 when no segment was found, an input could not be read at
    /// all (missing, unreadable, empty) or two inputs conflict (different
    /// segments in one place of a run), after the command has done what it
    /// could with the rest.
    static func exitIfIncomplete(foundSegments: Bool, diagnostics: [LogDiagnostic]) throws {
        if !foundSegments || diagnostics.contains(where: { $0.isUnreadableInput || $0.isConflict }) { throw ExitCode(1) }
    }

    /// Shows the reading of the logs on a terminal (not with `--quiet`, nor
    /// when `messages` is nil, nor when the command writes to a terminal's
    /// standard output as it reads: `writingOut`) until stopped.
    func reading(_ label: String, _ messages: Messages?, writingOut: Bool = false) -> ReadingProgress {
        let shown = messages.map { !$0.quiet } == true && ProgressBar.onTerminal && !(writingOut && isatty(1) != 0)
        return ReadingProgress(label, files: files, enabled: shown)
    }

    /// The log files named, directories expanded.
    var files: [String] { LogReader.expand(logs).files }

    /// Reads every log and prints read problems on standard error
    /// through `messages` (nil: silent).
    func read(_ messages: Messages?) -> LogSet {
        let set = LogReader.read(logs)
        messages?.log(set.diagnostics)
        return set
    }
}

extension LogInputs {
    /// Reads and analyses the logs (``LogAnalysis``): streamed when the set
    /// can and the logs allow it, else read whole. Read problems go to
    /// standard error unless `quiet`.
    func analyze(with metricSet: any MetricSet, quiet: Bool = false, stream: Bool = true) -> AnalyzedLogs {
        analyze(with: metricSet, messages: quiet ? nil : Messages(quiet: false), stream: stream)
    }

    /// Reads and analyses the logs; read problems go through `messages`
    /// (nil: silent).
    func analyze(with metricSet: any MetricSet, messages: Messages?, stream: Bool = true) -> AnalyzedLogs {
        let progress = reading("analysing", messages)
        let analyzed = LogAnalysis.analyze(logs, with: metricSet, stream: stream)
        progress.stop()
        messages?.log(analyzed.diagnostics)
        return analyzed
    }
}
