import TraceLog

/// Renders rows as an aligned text table for a terminal.
///
/// - Numbers (and `-` for null in number columns) are right-aligned, other
///   columns left-aligned; headers follow their column's alignment.
/// - `null` prints as `-`; numbers as ``ValueText/display(_:)-(Double)``
///   gives them (four significant digits, the integer part in full with
///   thousands grouped: `0.000258`, `53.14`, `2,046,788`); string lists as
///   `a,b,c` (`[]` when empty); objects as `key=value,…` (`{}` when
///   empty); control characters as spaces.
/// - A cell wider than ``maxColumnWidth`` (or its header, when that is
///   longer) is cut and ends with `…`.
/// - When all columns do not fit in ``width``, the table is split into
///   panels stacked one below the other, each repeating the key columns
///   (the first column, and up to two more that follow it whose names end
///   in `_id` or `_index`, e.g. `run_id`, `query_id`, `turn_index`).
/// - A footer names the metric set and the row count:
///   `metric set: ipw@1 · 12 rows`.
///
/// Widths count characters (grapheme clusters); wide East Asian characters
/// may therefore misalign. Lines carry no trailing spaces; output is
/// byte-deterministic.
public struct TableRenderer: Sendable {
    /// The widest a line may be, in characters (80 by default).
    public var width: Int
    /// The widest a cell may be before it is cut (24 by default); a column is
    /// never cut narrower than its header.
    public var maxColumnWidth: Int

    /// Creates a renderer.
    public init(width: Int = 80, maxColumnWidth: Int = 24) {
        self.width = width
        self.maxColumnWidth = maxColumnWidth
    }

    /// The spaces between two columns.
    static let gap = 2

    /// Renders rows, naming the metric set that made them: every column
    /// (in panels when they do not fit), or with `layout` the columns it
    /// chooses under its headers, fitted to the width in one panel when
    /// its shrinkable columns can be cut enough, with a totals row.
    ///
    /// A table of one row whose columns do not fit in one line is printed
    /// as `name  value` lines instead (the `--by run` of one run).
    public func render(_ rows: [AnalysisRow], metricSet: MetricSetIdentity, layout: TableLayout? = nil) -> String {
        let footer = "metric set: \(metricSet) · \(rows.count) \(rows.count == 1 ? "row" : "rows")\n"
        let all = ValueText.columnNames(of: rows)
        let present = Set(all)
        let chosen: [TableLayout.Column] = layout.map { $0.columns.filter { present.contains($0.name) } }
            ?? all.map { TableLayout.Column($0) }
        let names = chosen.map(\.name)
        guard !names.isEmpty else { return "(no rows)\n" + footer }

        // Rows that have exactly these columns in this order (the usual
        // case) are read by position, not searched by name.
        let positional = rows.map { $0.hasColumns(names) }
        let values: [[AnalysisValue]] = names.enumerated().map { position, name in
            rows.indices.map { positional[$0] ? rows[$0].values[position] : rows[$0][name] ?? .null }
        }
        if layout == nil, rows.count == 1 {
            let lineWidth = zip(names, values).reduce(-Self.gap) { total, column in
                total + Self.gap + max(Self.count(column.0), Self.count(Self.text(column.1[0])))
            }
            if lineWidth > width { return keyValue(names: names, values: values.map { $0[0] }) + footer }
        }
        var columns: [Column] = chosen.enumerated().map { position, choice in
            let values = values[position]
            let numeric = values.allSatisfy { $0.isNumber || $0 == .null }
            let limit = max(maxColumnWidth, Self.count(choice.header))
            let cells = values.map { Self.cut(Self.sanitized(Self.text($0)), to: limit) }
            let widths = cells.map(Self.count)
            return Column(header: choice.header, cells: cells, cellWidths: widths, rightAligned: numeric,
                          width: max(Self.count(choice.header), widths.max() ?? 0), shrinks: choice.shrinks)
        }
        // The totals row: the known sums of the columns that have them.
        var totals: [String]?
        if let label = layout?.totalsLabel, rows.count > 1, chosen.contains(where: \.totals) {
            var cells = chosen.enumerated().map { position, choice -> String in
                guard choice.totals else { return "" }
                let sum = KnownSum.values(values[position]).total
                return sum == .null ? "-" : Self.text(sum)
            }
            cells[0] = label
            for index in columns.indices {
                columns[index].width = max(columns[index].width, Self.count(cells[index]))
            }
            totals = cells
        }
        if layout != nil { fit(&columns) }
        if let cells = totals {
            for index in columns.indices {
                columns[index].cells.append(Self.cut(cells[index], to: columns[index].width))
                columns[index].cellWidths.append(Self.count(columns[index].cells.last!))
            }
        }
        // Keep every panel within the width even for very long headers.
        for index in columns.indices where columns[index].width > width {
            columns[index].width = width
            columns[index].header = Self.cut(columns[index].header, to: width)
            columns[index].cells = columns[index].cells.map { Self.cut($0, to: width) }
            columns[index].cellWidths = columns[index].cells.map(Self.count)
        }

        var keyCount = 1
        while keyCount < 3, names.count > keyCount + 1,
              names[keyCount].hasSuffix("_id") || names[keyCount].hasSuffix("_index") {
            keyCount += 1
        }
        let keys = Array(0..<keyCount)
        var panels: [[Int]] = []
        var current = keys
        var used = keys.reduce(0) { $0 + columns[$1].width } + Self.gap * (keyCount - 1)
        for index in keyCount..<columns.count {
            let extra = Self.gap + columns[index].width
            if current.count > keyCount, used + extra > width {
                panels.append(current)
                current = keys
                used = keys.reduce(0) { $0 + columns[$1].width } + Self.gap * (keyCount - 1)
            }
            current.append(index)
            used += extra
        }
        panels.append(current)

        // Each line is laid out as UTF-8 bytes in one reused buffer:
        // padding, the gap, then the cells, trailing spaces dropped.
        var out = ""
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * width)
        func line(_ panel: [Int], _ cell: (Int) -> (text: String, width: Int)) {
            bytes.removeAll(keepingCapacity: true)
            for (position, index) in panel.enumerated() {
                if position > 0 { bytes.append(contentsOf: repeatElement(0x20, count: Self.gap)) }
                let (text, textWidth) = cell(index)
                let pad = max(0, columns[index].width - textWidth)
                if columns[index].rightAligned { bytes.append(contentsOf: repeatElement(0x20, count: pad)) }
                bytes.append(contentsOf: text.utf8)
                if !columns[index].rightAligned { bytes.append(contentsOf: repeatElement(0x20, count: pad)) }
            }
            while bytes.last == 0x20 { bytes.removeLast() }
            bytes.append(0x0A)
            out += String(decoding: bytes, as: UTF8.self)
        }
        for (panelIndex, panel) in panels.enumerated() {
            if panelIndex > 0 { out += "\n" }
            line(panel) { (columns[$0].header, Self.count(columns[$0].header)) }
            line(panel) { (String(repeating: "-", count: columns[$0].width), columns[$0].width) }
            for row in rows.indices {
                line(panel) { (columns[$0].cells[row], columns[$0].cellWidths[row]) }
            }
            if totals != nil {
                line(panel) { (String(repeating: "-", count: columns[$0].width), columns[$0].width) }
                line(panel) { (columns[$0].cells[rows.count], columns[$0].cellWidths[rows.count]) }
            }
        }
        out += footer
        return out
    }

    /// A column being laid out.
    private struct Column {
        var header: String
        var cells: [String]
        /// Each cell's width in characters.
        var cellWidths: [Int]
        var rightAligned: Bool
        var width: Int
        /// Whether it may be cut below its natural width to fit the line.
        var shrinks = false
    }

    /// Cuts the shrinkable columns, widest first, until the line fits the
    /// width (never below their header or 3 characters).
    private func fit(_ columns: inout [Column]) {
        func total() -> Int { columns.reduce(-Self.gap) { $0 + Self.gap + $1.width } }
        while total() > width {
            let candidates = columns.indices.filter {
                columns[$0].shrinks && columns[$0].width > max(3, Self.count(columns[$0].header))
            }
            guard let widest = candidates.max(by: { (columns[$0].width, $1) < (columns[$1].width, $0) }) else { break }
            columns[widest].width -= 1
        }
        for index in columns.indices {
            let limit = columns[index].width
            columns[index].cells = columns[index].cells.map { Self.cut($0, to: limit) }
            columns[index].cellWidths = columns[index].cells.map(Self.count)
        }
    }

    /// One row as `name  value` lines, names padded to the longest, values
    /// cut to the width.
    private func keyValue(names: [String], values: [AnalysisValue]) -> String {
        let nameWidth = min(names.map(Self.count).max() ?? 0, width / 2)
        var out = ""
        for (name, value) in zip(names, values) {
            let shown = Self.cut(name, to: nameWidth)
            let padding = String(repeating: " ", count: nameWidth - Self.count(shown) + Self.gap)
            let text = Self.cut(Self.sanitized(Self.text(value)), to: max(1, width - nameWidth - Self.gap))
            var line = shown + padding + text
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// The display text of a value.
    static func text(_ value: AnalysisValue) -> String {
        switch value {
        case .null: "-"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): ValueText.display(i)
        case .double(let d): ValueText.display(d)
        case .string(let s): s
        case .strings(let list): list.isEmpty ? "[]" : list.joined(separator: ",")
        case .object(let pairs):
            pairs.isEmpty ? "{}" : pairs.map { "\($0.0)=\(text($0.1))" }.joined(separator: ",")
        }
    }

    /// The number of characters of `s`: its bytes when all are printable
    /// ASCII (the usual case, with no grapheme breaking), else its grapheme
    /// clusters.
    static func count(_ s: String) -> Int {
        var ascii = true
        var bytes = 0
        for byte in s.utf8 {
            if byte >= 0x80 { ascii = false; break }
            bytes += 1
        }
        return ascii ? bytes : s.count
    }

    /// The text with control characters and bidirectional overrides
    /// replaced by spaces (a cell must neither drive the terminal nor
    /// reverse the columns after it).
    static func sanitized(_ s: String) -> String {
        // Printable ASCII has none.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        guard s.unicodeScalars.contains(where: { TerminalText.isUnsafe($0) || $0 == "\t" || $0 == "\n" }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if TerminalText.isUnsafe(scalar) || scalar == "\t" || scalar == "\n" { out += " " } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// The text cut to at most `limit` characters, ending in `…` when cut.
    static func cut(_ s: String, to limit: Int) -> String {
        guard count(s) > limit else { return s }
        guard limit > 1 else { return String(s.prefix(limit)) }
        return String(s.prefix(limit - 1)) + "…"
    }
}
