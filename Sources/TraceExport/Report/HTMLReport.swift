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
            <p>Logs: \(HTMLText.escape(sources.joined(separator: ", "))) &middot; metric set <b>\(HTMLText.escape(identity.description))</b> (\(HTMLText.escape(identity.tag))) &middot; \(runs.count) run\(runs.count == 1 ? "" : "s")</p></header>

            """
        for (index, run) in runs.enumerated() {
            out += section(run)
            progress?(index + 1, runs.count)
        }
        out += "<footer>Made by trace-analyze report with metric set \(HTMLText.escape(identity.tag)). Energy is the metric set's attributed energy; the chart shows measured power.</footer>\n</body>\n</html>\n"
        return out
    }

    /// One run's section.
    func section(_ run: RunEvents) -> String {
        // As the metric sets do: timestamps beyond ±2^62 ns are left out.
        let run = run.withPlausibleTimestamps().run
        let result = metricSet.analyze(run)
        let timeline = RunTimeline(run)
        let series = EnergySeries.series(from: run.events).filter { $0.times.count >= 2 }
        var out = "<section>\n<h2>Run \(HTMLText.escape(run.runID))</h2>\n"
        let turnCount = timeline.queries.reduce(0) { $0 + $1.turns.count }
        let toolCount = timeline.queries.reduce(0) { $0 + $1.tools.count }
        out += "<p class=\"sub\">\(timeline.queries.count) queries, \(turnCount) turns, \(toolCount) tool calls, "
            + "\(HTMLText.fixed(Double(timeline.end - timeline.start) / 1e9, 1)) s</p>\n"
        out += "<h3>Power over time</h3>\n"
        if series.isEmpty {
            out += "<p class=\"note\">No usable telemetry in this run.</p>\n"
        } else {
            out += "<div class=\"chart\">" + PowerChart(timeline: timeline, series: series).svg() + "</div>\n"
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
