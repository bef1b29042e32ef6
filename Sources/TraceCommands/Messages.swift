import ArgumentParser
import TraceAnalysis
import TraceLog

/// `--quiet`, shared by every command.
struct QuietOption: ParsableArguments {
    @Flag(name: .long, help: "Print only errors on standard error: no warnings, notes or progress.")
    var quiet = false
}

/// What a command says on standard error besides its output.
///
/// Warnings of one kind (the same text once numbers and quoted names are
/// set aside) are printed at most ``limit`` times, then once as
/// `… and N more like this`, so a log with thousands of unmatched events
/// says so in a few lines. Errors are always printed (summarised the same
/// way); warnings and notes are left out with `--quiet`.
struct Messages {
    /// How many of one kind are printed before the rest are counted.
    static let limit = 5

    var quiet: Bool

    /// Prints diagnostics about the logs.
    func log(_ diagnostics: [LogDiagnostic]) {
        let shown = quiet ? diagnostics.filter { $0.severity == .error } : diagnostics
        Self.summarised(shown.map { "trace-analyze: \($0)" })
    }

    /// Prints warnings about the analysis (unless quiet).
    func warnings(_ texts: [String]) {
        guard !quiet else { return }
        Self.summarised(texts.map { "trace-analyze: warning: \($0)" })
    }

    /// Prints a note: what was written, what was left out (unless quiet).
    func note(_ text: String) {
        guard !quiet else { return }
        StandardStreams.err(text + "\n")
    }

    /// Prints `lines`, each kind at most ``limit`` times, and after them one
    /// line per kind with more.
    static func summarised(_ lines: [String]) {
        var counts: [String: Int] = [:]
        var order: [String] = []
        var out = ""
        for line in lines {
            let key = kind(of: line)
            let seen = counts[key, default: 0]
            if seen == 0 { order.append(key) }
            counts[key] = seen + 1
            if seen < limit { out += line + "\n" }
        }
        for key in order where counts[key, default: 0] > limit {
            let more = counts[key]! - limit
            out += "trace-analyze: … and \(ValueText.display(Int64(more))) more like this: \(key)\n"
        }
        StandardStreams.err(out)
    }

    /// A line with its digits and quoted names set aside: what lines of one
    /// kind have in common.
    static func kind(of line: String) -> String {
        var out = ""
        var inQuotes = false
        var lastWasDigit = false
        for character in line {
            if character == "\"" {
                inQuotes.toggle()
                if inQuotes { out += "\"…\"" }
                continue
            }
            if inQuotes { continue }
            if character.isNumber {
                if !lastWasDigit { out += "#" }
                lastWasDigit = true
                continue
            }
            lastWasDigit = false
            out.append(character)
        }
        return out.hasPrefix("trace-analyze: ") ? String(out.dropFirst("trace-analyze: ".count)) : out
    }
}
