import TraceAnalysis
import TraceLog

/// A self-contained HTML report of runs: inline CSS and SVG only, nothing
/// loaded from the network, no scripts.
///
/// Per run: the run energy table, a power-over-time chart with query, turn,
/// inference and tool bands (``PowerChart``), per-turn energy bars, and the
/// query and turn tables of the metric set, which the page names. Output is
/// deterministic: the same logs give the same bytes.
public struct HTMLReport {
    /// The metric set whose rows the tables show.
    public var metricSet: any MetricSet
    /// At most this many turns get an energy bar and a table row.
    public var turnLimit: Int
    /// At most this many queries get a table row.
    public var queryLimit: Int

    /// Creates a report writer.
    public init(metricSet: any MetricSet, turnLimit: Int = 80, queryLimit: Int = 500) {
        self.metricSet = metricSet
        self.turnLimit = turnLimit
        self.queryLimit = queryLimit
    }

    /// The report of `runs`; `sources` names the inputs in the header.
    public func html(_ runs: [RunEvents], sources: [String], progress: ExportProgress? = nil) -> String {
        html(contents: runs.map(content), sources: sources, progress: progress)
    }

    /// What the report shows of one run: the set's rows, the timeline and
    /// the power chart's lines.
    package struct RunContent {
        var runID: String
        var result: AnalysisResult
        var timeline: RunTimeline
        var lines: [PowerLine]
    }

    /// The content of a run held in memory.
    func content(_ run: RunEvents) -> RunContent {
        // As the metric sets do: timestamps beyond ±2^62 ns are left out.
        let run = run.withPlausibleTimestamps().run
        let timeline = RunTimeline(run)
        let series = EnergySeries.series(from: run.events).filter { $0.times.count >= 2 }
        return RunContent(runID: run.runID, result: metricSet.analyze(run), timeline: timeline,
                          lines: PowerChart(timeline: timeline, series: series).lines)
    }

    /// The report of runs' contents.
    package func html(contents runs: [RunContent], sources: [String], progress: ExportProgress? = nil) -> String {
        let identity = metricSet.identity
        var out = """
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
        for (index, run) in runs.enumerated() {
            out += section(run)
            progress?(index + 1, runs.count)
        }
        out += "<footer>Made by trace-analyze report with metric set \(HTMLText.escape(identity.tag)). Energy is the metric set's attributed energy; the chart shows measured power.</footer>\n</body>\n</html>\n"
        return out
    }

    /// One run's section.
    func section(_ run: RunContent) -> String {
        let result = run.result
        let timeline = run.timeline
        var out = "<section>\n<h2>Run \(HTMLText.escape(run.runID))</h2>\n"
        let turnCount = timeline.queries.reduce(0) { $0 + $1.turns.count }
        let toolCount = timeline.queries.reduce(0) { $0 + $1.tools.count }
        out += "<p class=\"sub\">\(timeline.queries.count) queries, \(turnCount) turns, \(toolCount) tool calls, "
            + "\(HTMLText.fixed(Double(timeline.end - timeline.start) / 1e9, 1)) s</p>\n"
        out += "<h3>Power over time</h3>\n"
        if run.lines.isEmpty {
            out += "<p class=\"note\">No usable telemetry in this run.</p>\n"
        } else {
            out += "<div class=\"chart\">" + PowerChart(timeline: timeline, lines: run.lines).svg() + "</div>\n"
            out += "<p class=\"note\">Lines: mean power per time bucket from each source's cleaned energy series. Shaded bands: queries; alternating tints: turns. Lanes: inferences (blue), tool calls (amber), failures (red). Hover for names.</p>\n"
        }
        out += "<h3>Run energy</h3>\n" + transposedTable(result.runs)
        out += "<h3>Energy per turn</h3>\n" + TurnEnergyBars(rows: result.turns, limit: turnLimit).svg()
        out += "<h3>Queries</h3>\n" + table(result.queries, limit: queryLimit)
        out += "<h3>Turns</h3>\n" + table(result.turns, limit: turnLimit)
        out += "</section>\n"
        return out
    }

    /// A table with one column per row name (numbers right-aligned).
    func table(_ rows: [AnalysisRow], limit: Int) -> String {
        guard !rows.isEmpty else { return "<p class=\"note\">None.</p>\n" }
        var names: [String] = []
        for row in rows { for name in row.names where !names.contains(name) { names.append(name) } }
        var out = "<div class=\"scroll\"><table>\n<thead><tr>"
        for name in names { out += "<th>\(HTMLText.escape(name.replacingUnderscores))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows.prefix(limit) {
            out += "<tr>"
            for name in names {
                let value = row[name] ?? .null
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
        .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12.5px}
        th,td{padding:3px 8px;border-bottom:1px solid #e5e7e9;text-align:left;white-space:nowrap}
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
        let chartSet = DefaultMetricSet()
        guard let outcome = StreamedLogAnalysis.analyze(paths, metricSet: chartSet, prepare: { stream in
            let span = stream.timeSpan ?? (0, 0)
            let (t0, t1) = PowerChart.span(start: span.first, end: span.last)
            let recording = Recording(stream.energySeries, from: t0, to: t1)
            recordings[stream.runID] = (recording, span.first, span.last)
            stream.knotObserver = { recording.knot($0, $1, $2) }
        }) else { return nil }
        // The rows of the chosen set, from its own stream.
        var results = outcome.runs.map(\.result)
        if metricSet.identity != DefaultMetricSet.identity {
            guard let rows = metricSet.analyzeStream(paths),
                  rows.runs.map(\.events.runID) == outcome.runs.map(\.events.runID) else { return nil }
            results = rows.runs.map(\.result)
        }
        let contents = outcome.runs.enumerated().map { index, run in
            let id = run.events.runID
            let recorded = recordings[id]
            return RunContent(
                runID: id, result: results[index],
                timeline: RunTimeline(run.structure, start: recorded?.start ?? 0, end: recorded?.end ?? 0),
                lines: recorded?.recording.lines ?? [])
        }
        return (contents, outcome.pass)
    }
}
