import ArgumentParser
import Foundation
import TraceAnalysis
import TraceExport
import TraceLog

/// `trace-analyze db LOG... -o runs.sqlite`: the analysis as SQL tables.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Load the analysis into a SQLite database (tables runs, queries, turns, tools, models).",
        discussion: """
            Every row carries the log content hash (SHA-256 of the log files), the metric \
            set and its version and the price table hash. Loading logs that are already \
            there with the same metric set changes nothing; with another set (--metrics) \
            it adds that set's rows, so definitions can be compared in SQL. The schema and \
            example queries are in docs/SQL.md.

            Examples:
              trace-analyze db logs/ -o runs.sqlite
              trace-analyze db logs/ -o runs.sqlite --metrics ipw
              sqlite3 runs.sqlite 'SELECT metric_set, sum(total_gpu_energy_joules) FROM queries GROUP BY 1'
            """)

    @OptionGroup var inputs: LogInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("Database file to create or add to.", valueName: "runs.sqlite"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Metric set (see `trace-analyze metrics`).", valueName: "name"))
    var metrics: String?

    @OptionGroup var clockOffsets: ClockOffsetOptions

    @OptionGroup var priceOptions: PriceOptions

    @Flag(name: .long, help: "Print the rows written and the insert rate on standard error.")
    var stats = false

    @OptionGroup var quietOption: QuietOption

    func run() throws {
        try Self.checkDatabase(output, inputs: inputs.files)
        let metricSet = try clockOffsets.apply(to: MetricSetOption.resolve(metrics))
        let prices = try priceOptions.load()
        // One analysis serves every table.
        let messages = Messages(quiet: quietOption.quiet)
        let analyzed = inputs.analyze(with: metricSet, messages: messages)
        // A database gathers loads: a partial one would be recorded as if it
        // were these logs, so nothing is written when an input is missing.
        if analyzed.diagnostics.contains(where: { $0.isUnreadableInput || $0.isConflict }) {
            StandardStreams.err("trace-analyze: \(output): nothing written: an input could not be read or two inputs conflict (see above)\n")
            throw ExitCode(1)
        }
        if !analyzed.foundSegments { throw ExitCode(1) }
        let progress = ProgressBar("hashing and analysing", enabled: !messages.quiet && ProgressBar.onTerminal)
        let hash = LogContentHash.hex(ofFiles: analyzed.files)
        let views = DatabaseContent.Views(analyzed.runs, spanEnergy: analyzed.spanEnergy, metricSet: metricSet, prices: prices)
        let content = DatabaseContent.make(
            structures: analyzed.runs.map(\.structure), views: views, metricSet: metricSet.identity, priceTableHash: prices.identity.sha256, logHash: hash
        ) { progress.update($0, of: $1) }
        messages.warnings(content.diagnostics.map(\.description))
        progress.phase("inserting rows")
        let outcome: DatabaseWriter.Outcome
        let clock = ContinuousClock()
        let started = clock.now
        var timing = LoadTiming(started: started)
        do {
            let connection = try SQLiteConnection(path: output)
            timing.writing = clock.now
            outcome = try DatabaseWriter(connection: connection).write(content) { progress.update($0, of: $1) } phase: {
                timing.phases.append(($0, clock.now))
            }
            timing.written = clock.now
            // The file is closed (and checkpointed) when the connection
            // goes, after this.
            withExtendedLifetime(connection) {}
        } catch {
            progress.finish()
            let text = "\(error)"
            throw CommandError(text.hasPrefix(output) ? text : "\(output): \(text)")
        }
        timing.closed = clock.now
        progress.finish()
        switch outcome {
        case .alreadyLoaded:
            messages.note("\(output): already holds these logs (\(hash.prefix(12))) with \(metricSet.identity.tag); nothing written")
        case .loaded(let rows):
            let summary = zip(DatabaseSchema.tableNames, rows).map { "\($1) \($0)" }.joined(separator: ", ")
            messages.note("\(output): added \(summary) (\(metricSet.identity.tag), logs \(hash.prefix(12)))")
            if stats { StandardStreams.err(timing.line(rows: rows.reduce(0, +)) + "\n") }
        }
    }

    /// When each step of a load began and ended, for `--stats`.
    struct LoadTiming {
        /// Before the file was opened.
        var started: ContinuousClock.Instant
        /// The file is open; the write (pragmas, then one transaction) begins.
        var writing: ContinuousClock.Instant?
        /// The start of each phase of the write.
        var phases: [(DatabaseWriter.Phase, ContinuousClock.Instant)] = []
        /// The commit has returned.
        var written: ContinuousClock.Instant?
        /// The file is closed.
        var closed: ContinuousClock.Instant?

        /// The `--stats` line: the insert rate over the whole write of the
        /// load — from the first pragma to the end of the commit, with the
        /// tables created or altered, the rows and their index entries
        /// inserted, the load recorded and the commit written to the log —
        /// then the parts of it, then the load with opening and closing
        /// (checkpointing) the file.
        func line(rows: Int) -> String {
            func start(_ phase: DatabaseWriter.Phase) -> ContinuousClock.Instant? { phases.first { $0.0 == phase }?.1 }
            guard let writing, let written, let closed, let tables = start(.preparingTables),
                  let inserting = start(.insertingRows), let committing = start(.committing) else { return "" }
            func seconds(_ d: Duration) -> Double {
                Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            }
            func milliseconds(_ d: Duration) -> String {
                let ms = seconds(d) * 1000
                return (ms < 100 ? String((ms * 10).rounded() / 10) : String(Int(ms.rounded()))) + " ms"
            }
            func rate(_ d: Duration) -> String { seconds(d) > 0 ? "\(Int(Double(rows) / seconds(d))) rows/s" : "-" }
            return "inserted \(rows) rows in \(milliseconds(written - writing)) (\(rate(written - writing)), one transaction: "
                + "tables \(milliseconds(inserting - tables)), rows \(milliseconds(committing - inserting)), "
                + "commit \(milliseconds(written - committing))); "
                + "\(milliseconds(closed - started)) with opening and closing the file (\(rate(closed - started)))"
        }
    }

    /// Refuses an output that is not a database (or is one of the inputs)
    /// before any work: `db run.zst -o run.zst` has its arguments swapped.
    static func checkDatabase(_ path: String, inputs: [String]) throws {
        try OutputFile.requireDirectory(of: path)
        let handle = FileHandle(forReadingAtPath: path)
        defer { try? handle?.close() }
        let head = (try? handle?.read(upToCount: 16)) ?? Data()
        guard !head.isEmpty, !head.elementsEqual(Array("SQLite format 3\0".utf8)) else {
            try OutputFile.refuseInput(path, inputs)
            return
        }
        let looksLikeLog = head.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
        throw CommandError("\(path): not a SQLite database"
            + (looksLikeLog ? " but an agent-trace log: are the arguments swapped? (db LOG... -o RUNS.sqlite)" : "; give a new or existing database file with -o"))
    }
}
