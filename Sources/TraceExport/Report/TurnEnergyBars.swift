import TraceAnalysis

/// Horizontal bars of the turns with the most attributed energy (GPU + CPU,
/// the largest first, ties in turn order), GPU then CPU stacked, as inline
/// SVG (from the turn rows' `gpu_energy_joules` and `cpu_energy_joules`).
struct TurnEnergyBars {
    var rows: [AnalysisRow]
    var limit: Int

    func svg() -> String {
        func energy(_ row: AnalysisRow) -> Double {
            (row["gpu_energy_joules"]?.doubleValue ?? 0) + (row["cpu_energy_joules"]?.doubleValue ?? 0)
        }
        let order = rows.indices.sorted { (-energy(rows[$0]), $0) < (-energy(rows[$1]), $1) }
        let shown = order.prefix(limit).map { rows[$0] }
        guard !shown.isEmpty else { return "<p class=\"note\">No turns.</p>\n" }
        let gpu = shown.map { $0["gpu_energy_joules"]?.doubleValue ?? 0 }
        let cpu = shown.map { $0["cpu_energy_joules"]?.doubleValue ?? 0 }
        let largest = max(zip(gpu, cpu).map { $0 + $1 }.max() ?? 1, 1e-9)
        let labelWidth = 150.0, barMax = 900.0, rowHeight = 18.0, top = 22.0
        let height = top + rowHeight * Double(shown.count) + 8
        func c(_ d: Double) -> String { HTMLText.coordinate(d) }
        var out = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1280 \#(c(height))" width="100%" role="img" aria-label="Energy per turn">"#
        out += #"<rect x="\#(c(labelWidth))" y="4" width="14" height="10" class="bg"/><text x="\#(c(labelWidth + 18))" y="13" class="bl">GPU (J)</text>"#
        out += #"<rect x="\#(c(labelWidth + 90))" y="4" width="14" height="10" class="bc"/><text x="\#(c(labelWidth + 108))" y="13" class="bl">CPU (J)</text>"#
        out += "\n"
        for (i, row) in shown.enumerated() {
            let y = top + rowHeight * Double(i)
            let label = "\(HTMLText.cell(row["query_id"] ?? .null)) · turn \(HTMLText.cell(row["turn_index"] ?? .null))"
            let g = barMax * gpu[i] / largest, k = barMax * cpu[i] / largest
            let total = (row["gpu_energy_joules"]?.doubleValue).map { _ in gpu[i] + cpu[i] }
            out += #"<text x="\#(c(labelWidth - 8))" y="\#(c(y + 12))" class="yl">\#(HTMLText.escape(label))</text>"#
            out += #"<rect x="\#(c(labelWidth))" y="\#(c(y + 2))" width="\#(c(g))" height="\#(c(rowHeight - 5))" class="bg"><title>GPU \#(HTMLText.fixed(gpu[i], 1)) J</title></rect>"#
            out += #"<rect x="\#(c(labelWidth + g))" y="\#(c(y + 2))" width="\#(c(k))" height="\#(c(rowHeight - 5))" class="bc"><title>CPU \#(HTMLText.fixed(cpu[i], 1)) J</title></rect>"#
            let text = total.map { HTMLText.fixed($0, 1) + " J" } ?? "no telemetry"
            out += #"<text x="\#(c(labelWidth + g + k + 6))" y="\#(c(y + 12))" class="bv">\#(text)</text>"#
            out += "\n"
        }
        out += "</svg>\n"
        if rows.count > limit {
            out += "<p class=\"note\">Showing the \(limit) largest of \(rows.count) turns.</p>\n"
        }
        return out
    }
}
