import TraceAnalysis
import TraceLog

/// A self-contained HTML report of runs: inline CSS and SVG only, nothing
/// loaded from the network, no scripts.
///
/// Per run: its labels, a power-over-time chart with query, turn,
/// inference and tool bands (``PowerChart``; with more than
/// ``PowerChart/turnTintLimit`` queries the turn tints are left out so the
/// query bands stay readable), the run energy table, the queries (status and
/// error shown, failed queries highlighted), the models, the tools, one
/// table per query label key (accuracy per value), energy bars for the
/// largest turns, and the turns. Every table holds the rows of the views
/// (``AnalysisReport``) priced with ``prices``, so costs are those of
/// `--by query`, `--by model`…; the turn and query tables show the compact
/// columns of ``TableLayout`` so they fit the page. The page names the
/// metric set. Output is deterministic: the same logs give the same bytes.
public struct HTMLReport {
    /// The metric set whose rows the tables show.
    public var metricSet: any MetricSet
    /// At most this many turns get an energy bar and a table row.
    public var turnLimit: Int
    /// At most this many queries get a table row.
    public var queryLimit: Int
    /// The prices costs are computed with.
    public var prices: PriceTable
    /// Telemetry sources' clock offsets, for the power chart's series (the
    /// rows' set takes its own).
    public var clockOffsets: [SourceClockOffset] = []

    /// Creates a report writer.
    public init(metricSet: any MetricSet, turnLimit: Int = 80, queryLimit: Int = 500, prices: PriceTable = .default) {
        self.metricSet = metricSet
        self.turnLimit = turnLimit
        self.queryLimit = queryLimit
        self.prices = prices
    }

    /// The report of `runs`; `sources` names the inputs in the header.
    public func html(_ runs: [RunEvents], sources: [String], progress: ExportProgress? = nil) -> String {
        html(contents: runs.map(content), sources: sources, progress: progress)
    }

    /// Writes the report of `runs` to `sink` in pieces of about 64 KB: the
    /// text of ``html(_:sources:progress:)``, never held whole.
    public func write(_ runs: [RunEvents], sources: [String], progress: ExportProgress? = nil, to sink: @escaping (String) -> Void) {
        write(contents: runs.map(content), sources: sources, progress: progress, to: sink)
    }

    /// What the report shows of one run: the set's rows, the timeline and
    /// the power chart's lines.
    package struct RunContent {
        var runID: String
        /// The set's analysis of the run, with its structure.
        var analyzed: AnalyzedRun
        /// The run's span energies, when the analysis made them.
        var spanEnergy: SpanEnergy?
        var timeline: RunTimeline
        var lines: [PowerLine]
    }

    /// The content of a run held in memory.
    func content(_ run: RunEvents) -> RunContent {
        // As the metric sets do: timestamps beyond ±2^62 ns are left out.
        let run = run.withPlausibleTimestamps().run
        let analyzed = AnalyzedRun(events: run, metricSet: metricSet)
        let timeline = RunTimeline(analyzed.structure, spanning: run)
        let series = EnergySeries.series(from: run.events).filter { $0.times.count >= 2 }
        return RunContent(runID: run.runID, analyzed: analyzed, spanEnergy: nil,
                          timeline: timeline, lines: PowerChart(timeline: timeline, series: series).lines)
    }

    /// The rows of one view of a run, as `--by VIEW --format json` gives them.
    func rows(_ view: AnalysisView, _ run: RunContent) -> [AnalysisRow] {
        AnalysisReport(metricSet: metricSet, view: view, format: .json, prices: prices, namesPriceTableInRows: false)
            .rows(analyzed: [run.analyzed], spanEnergy: run.spanEnergy.map { [$0] }).rows
    }

    /// The report of runs' contents.
    package func html(contents runs: [RunContent], sources: [String], progress: ExportProgress? = nil) -> String {
        var runs = runs
        return TextChunks.collecting { write(contents: &runs, sources: sources, progress: progress, into: $0) }
    }

    /// Writes the report of runs' contents to `sink`, in pieces of about
    /// 64 KB: the same text as ``html(contents:sources:progress:)``, never
    /// held whole.
    package func write(
        contents runs: [RunContent], sources: [String], progress: ExportProgress? = nil, to sink: @escaping (String) -> Void
    ) {
        var runs = runs
        write(taking: &runs, sources: sources, progress: progress, to: sink)
    }

    /// ``write(contents:sources:progress:to:)``, taking each run's content
    /// out of `runs` as its section is written: where `runs` holds the only
    /// reference to a run's rows, they go with its section, and the set's
    /// turn rows as the turn view makes its own.
    package func write(
        taking runs: inout [RunContent], sources: [String], progress: ExportProgress? = nil, to sink: @escaping (String) -> Void
    ) {
        let out = TextChunks(sink)
        write(contents: &runs, sources: sources, progress: progress, into: out)
        out.finish()
    }

    private func write(contents runs: inout [RunContent], sources: [String], progress: ExportProgress?, into out: TextChunks) {
        let identity = metricSet.identity
        out += """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>agent-trace report</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header><h1>agent-trace report</h1>
            <p>Logs: \(HTMLText.escape(sources.joined(separator: ", "))) &middot; metric set <b>\(HTMLText.escape(identity.tag))</b> &middot; \(runs.count) run\(runs.count == 1 ? "" : "s")</p></header>

            """
        for index in runs.indices {
            var run = runs[index]
            runs[index].analyzed.result = AnalysisResult()
            runs[index].timeline.queries = []
            section(&run, into: out)
            progress?(index + 1, runs.count)
        }
        out += "<footer>Made by trace-analyze report with metric set \(HTMLText.escape(identity.tag)). Energy is the metric set's attributed energy; the chart shows measured power.</footer>\n</body>\n</html>\n"
    }

    /// One run's section.
    func section(_ run: inout RunContent, into out: TextChunks) {
        out += "<section>\n<h2>Run \(HTMLText.escape(run.runID))</h2>\n"
        // The timeline serves the summary and the chart only: it goes once
        // they are written, before the views make their rows.
        overview(&run, into: out)
        out += "<h3>Run energy</h3>\n" + transposedTable(run.analyzed.result.runs)
        let compact = metricSet.viewConvention == .augmented
        // Each view's rows go once its table is made.
        out += "<h3>Queries</h3>\n" + table(rows(.view(.query), run), limit: queryLimit, layout: compact ? .queries(withRun: false) : nil)
        out += "<h3>Models</h3>\n" + table(rows(.view(.model), run), limit: queryLimit, layout: TableLayout([
            .init("model"), .init("calls"), .init("input_tokens", header: "in"), .init("output_tokens", header: "out"),
            .init("cached_tokens", header: "cached"), .init("calls_without_usage", header: "no usage"),
            .init("cost_usd", header: "cost $"), .init("unpriced_calls", header: "unpriced"),
            .init("gpu_energy_joules", header: "GPU J"), .init("calls_without_energy", header: "no energy"),
        ]))
        out += "<h3>Tools</h3>\n" + table(rows(.view(.tool), run), limit: queryLimit, layout: TableLayout([
            .init("tool"), .init("calls"), .init("errors"), .init("latency_p50_s", header: "p50 s"),
            .init("latency_p95_s", header: "p95 s"), .init("gpu_energy_joules", header: "GPU J"),
            .init("calls_without_energy", header: "no energy"),
        ]))
        var keys: [String] = []
        for query in run.analyzed.structure.queries {
            for label in query.labels where !keys.contains(label.key) { keys.append(label.key) }
        }
        for key in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).prefix(Self.labelTableLimit) {
            let layout = TableLayout([
                .init(key), .init("queries"), .init("n_scored", header: "scored"), .init("accuracy"),
                .init("total_gpu_energy_joules", header: "GPU J"), .init("total_cost_usd", header: "cost $"),
                .init("accuracy_per_joule", header: "accuracy per J"),
            ])
            out += "<h3>By \(HTMLText.escape(key))</h3>\n" + table(rows(.view(.label(key)), run), limit: queryLimit, layout: layout)
        }
        // The last view: it takes the set's turn rows out of the run.
        var analyzed = [run.analyzed]
        run.analyzed.result.turns = []
        let turns = AnalysisReport(metricSet: metricSet, view: .turn, format: .json, prices: prices, namesPriceTableInRows: false)
            .rows(taking: &analyzed, spanEnergy: run.spanEnergy.map { [$0] }).rows
        out += "<h3>Largest turns by energy</h3>\n" + TurnEnergyBars(rows: turns, limit: turnLimit).svg()
        out += "<h3>Turns</h3>\n" + table(turns, limit: turnLimit, layout: compact ? .turns(withRun: false) : nil)
        out += "</section>\n"
    }

    /// The run's summary line, labels and power chart, from its timeline,
    /// which goes once they are written.
    private func overview(_ run: inout RunContent, into out: TextChunks) {
        let timeline = run.timeline
        let turnCount = timeline.queries.reduce(0) { $0 + $1.turns.count }
        let toolCount = timeline.queries.reduce(0) { $0 + $1.tools.count }
        let failed = timeline.queries.filter { $0.status == "failed" || $0.status == "timed_out" }.count
        out += "<p class=\"sub\">\(timeline.queries.count) queries"
            + (failed > 0 ? " (<span class=\"bad\">\(failed) failed</span>)" : "")
            + ", \(turnCount) turns, \(toolCount) tool calls, "
            + "\(HTMLText.fixed(Double(timeline.end - timeline.start) / 1e9, 1)) s</p>\n"
        var labels: [(String, String)] = []
        for label in run.analyzed.structure.runLabels.joined() where !labels.contains(where: { $0.0 == label.key }) {
            labels.append((label.key, label.value))
        }
        if !labels.isEmpty {
            out += "<p class=\"sub\">Labels: " + labels.map { "<b>\(HTMLText.escape($0.0))</b> \(HTMLText.escape($0.1))" }
                .joined(separator: " &middot; ") + "</p>\n"
        }
        out += "<h3>Power over time</h3>\n"
        if run.lines.isEmpty {
            out += "<p class=\"note\">No usable telemetry in this run.</p>\n"
        } else {
            let chart = PowerChart(timeline: timeline, lines: run.lines)
            out += "<div class=\"chart\">"
            chart.svg(into: out)
            out += "</div>\n"
            out += "<p class=\"note\">Lines: mean power per time bucket from each source's cleaned energy series. Shaded bands: queries"
                + (chart.drawsTurns ? "; alternating tints: turns" : " (turn tints left out above \(PowerChart.turnTintLimit) queries)")
                + ". Lanes: inferences (blue), tool calls (amber), failures (red). Hover for names.</p>\n"
        }
        run.timeline.queries = []
    }

    /// At most this many label keys get a table.
    static let labelTableLimit = 3

    /// A table of rows: the columns `layout` chooses under its headers, else
    /// every column but those `dropping` names (numbers right-aligned, rows
    /// of failed queries highlighted).
    func table(_ rows: [AnalysisRow], limit: Int, layout: TableLayout? = nil, dropping: Set<String> = []) -> String {
        guard !rows.isEmpty else { return "<p class=\"note\">None.</p>\n" }
        var names: [String] = []
        for row in rows { for name in row.names where !names.contains(name) && !dropping.contains(name) { names.append(name) } }
        var columns = names.map { TableLayout.Column($0, header: $0.replacingUnderscores) }
        if let layout { columns = layout.columns.filter { names.contains($0.name) } }
        var out = "<div class=\"wide\"><table>\n<thead><tr>"
        for column in columns { out += "<th>\(HTMLText.escape(column.header))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows.prefix(limit) {
            let status = row["status"]?.stringValue
            out += status == "failed" || status == "timed_out" ? "<tr class=\"fail\">" : "<tr>"
            for column in columns {
                let value = row[column.name] ?? .null
                out += value.isNumber ? "<td class=\"n\">" : "<td>"
                out += HTMLText.escape(HTMLText.cell(value)) + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        if rows.count > limit {
            out += "<p class=\"note\">Showing \(limit) of \(rows.count) rows; `trace-analyze db` or `--format csv` has them all.</p>\n"
        }
        return out
    }

    /// Rows shown as name/value pairs, one column per row.
    func transposedTable(_ rows: [AnalysisRow]) -> String {
        guard let first = rows.first else { return "<p class=\"note\">None.</p>\n" }
        var out = "<table class=\"kv\">\n<tbody>\n"
        for column in first.columns {
            let cells = rows.map { row -> String in
                let value = row[column.name] ?? .null
                return (value.isNumber ? "<td class=\"n\">" : "<td>") + HTMLText.escape(HTMLText.cell(value)) + "</td>"
            }
            out += "<tr><th>\(HTMLText.escape(column.name.replacingUnderscores))</th>\(cells.joined())</tr>\n"
        }
        out += "</tbody></table>\n"
        return out
    }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1c2833;margin:24px 32px;max-width:1360px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 2px;border-bottom:2px solid #d5d8dc}h3{font-size:16px;margin:22px 0 6px}
        header p,.sub,.note,footer{color:#566573}.note{font-size:12.5px}footer{margin-top:32px;font-size:12.5px}
        .chart{border:1px solid #e5e7e9;border-radius:6px;padding:4px;background:#fff}
        .wide{max-width:100%}table{border-collapse:collapse;font-size:12.5px;max-width:100%}
        th,td{padding:3px 8px;border-bottom:1px solid #e5e7e9;text-align:left;overflow-wrap:anywhere}
        th{overflow-wrap:normal}td.n{white-space:nowrap}tr.fail td{background:#fdedec}.bad{color:#c0392b;font-weight:600}
        @media print{body{margin:8px;font-size:11px}table{font-size:10px}th,td{padding:2px 4px}}
        thead th{background:#f4f6f7;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
        table.kv th{background:#f4f6f7;font-weight:600}
        svg text{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif}
        .qa{fill:#eaf2f8}.qb{fill:#fdf2e9}.ta{fill:#000;fill-opacity:0}.tb{fill:#1c2833;fill-opacity:.07}
        .ql{font-size:11px;fill:#566573}.yl{font-size:11px;fill:#566573;text-anchor:end}.xl{font-size:11px;fill:#566573;text-anchor:middle}
        .axis{font-size:12px;fill:#1c2833;text-anchor:middle}.legend{font-size:12px;fill:#1c2833}
        .grid{stroke:#d5d8dc;stroke-width:.6}.axisline{stroke:#85929e;stroke-width:1}
        .lane{fill:#f8f9f9;stroke:#e5e7e9}.inf{fill:#2e86c1}.tool{fill:#f0b27a;stroke:#ca6f1e;stroke-width:.5}.err{fill:#e74c3c}
        .bg{fill:#c0392b}.bc{fill:#2471a3}.bl{font-size:11.5px;fill:#1c2833}.bv{font-size:11px;fill:#566573}
        """
}

extension String {
    /// Column names for headers: `total_gpu_energy_joules` → `total gpu energy joules`.
    fileprivate var replacingUnderscores: String {
        String(map { $0 == "_" ? " " : $0 })
    }
}

extension HTMLReport {
    /// The contents of the runs in the logs at `paths`, streamed (two
    /// passes of the default set's engine, whose second pass draws the power
    /// chart's lines knot by knot; the set's rows from its own stream): no
    /// telemetry held. Nil when the logs' order does not allow a stream.
    package func streamedContents(_ paths: [String]) -> (contents: [RunContent], pass: LogStream.Pass)? {
        final class Recording {
            let series: [(slot: Int, source: String, domain: EnergyDomain)]
            var position: [Int: Int] = [:]
            var last: [Int64?]
            var knots: [Int]
            var powers: [BucketPowers]

            init(_ series: [(slot: Int, source: String, domain: EnergyDomain)], from t0: Int64, to t1: Int64) {
                self.series = series
                for (k, s) in series.enumerated() { position[s.slot] = k }
                last = Array(repeating: nil, count: series.count)
                knots = Array(repeating: 0, count: series.count)
                powers = Array(repeating: BucketPowers(from: t0, to: t1, buckets: PowerChart.buckets), count: series.count)
            }

            func knot(_ slot: Int, _ time: Int64, _ joules: Double?) {
                guard let k = position[slot] else { return }
                if let previous = last[k], let joules { powers[k].add(from: previous, to: time, joules: joules) }
                last[k] = time
                knots[k] += 1
            }

            var lines: [PowerLine] {
                series.indices.filter { knots[$0] >= 2 }.map {
                    PowerLine(source: series[$0].source, domain: series[$0].domain, powers: powers[$0].powers)
                }
            }
        }
        var recordings: [String: (recording: Recording, start: Int64, end: Int64)] = [:]
        // The chart's series are the default set's, whichever set the tables show.
        let chartSet = DefaultMetricSet(options: .init(clockOffsets: clockOffsets))
        guard let outcome = StreamedLogAnalysis.analyze(paths, metricSet: chartSet, prepare: { stream in
            let span = stream.timeSpan ?? (0, 0)
            let (t0, t1) = PowerChart.span(start: span.first, end: span.last)
            let recording = Recording(stream.energySeries, from: t0, to: t1)
            recordings[stream.runID] = (recording, span.first, span.last)
            stream.knotObserver = { recording.knot($0, $1, $2) }
        }) else { return nil }
        // The rows of the chosen set, from its own stream.
        var analyzed = outcome.runs
        var spanEnergy: [SpanEnergy?] = outcome.spanEnergy
        if metricSet.identity != DefaultMetricSet.identity {
            guard let rows = metricSet.analyzeStream(paths),
                  rows.runs.map(\.events.runID) == outcome.runs.map(\.events.runID) else { return nil }
            analyzed = rows.runs
            spanEnergy = rows.spanEnergy
        }
        let contents = outcome.runs.enumerated().map { index, run in
            let id = run.events.runID
            let recorded = recordings[id]
            return RunContent(
                runID: id, analyzed: analyzed[index], spanEnergy: index < spanEnergy.count ? spanEnergy[index] : nil,
                timeline: RunTimeline(run.structure, start: recorded?.start ?? 0, end: recorded?.end ?? 0),
                lines: recorded?.recording.lines ?? [])
        }
        return (contents, outcome.pass)
    }
}
