/// Renders rows as an aligned text table for a terminal.
///
/// - Numbers (and `-` for null in number columns) are right-aligned, other
///   columns left-aligned; headers follow their column's alignment.
/// - `null` prints as `-`; doubles with three decimals (`0.125`, `-3.000`),
///   or the shortest round-trip form from 1e12 up, `NaN`/`inf`/`-inf` when
///   not finite; string lists as `a,b,c` (`[]` when empty); objects as
///   `key=value,…` (`{}` when empty); control characters as spaces.
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

    /// Renders rows, naming the metric set that made them.
    public func render(_ rows: [AnalysisRow], metricSet: MetricSetIdentity) -> String {
        let footer = "metric set: \(metricSet) · \(rows.count) \(rows.count == 1 ? "row" : "rows")\n"
        let names = ValueText.columnNames(of: rows)
        guard !names.isEmpty else { return "(no rows)\n" + footer }

        // Rows that have exactly these columns in this order (the usual
        // case) are read by position, not searched by name.
        let positional = rows.map { row in
            row.columns.count == names.count && zip(row.columns, names).allSatisfy { $0.name == $1 }
        }
        var columns: [Column] = names.enumerated().map { position, name in
            let values = rows.indices.map { positional[$0] ? rows[$0].columns[position].value : rows[$0][name] ?? .null }
            let numeric = values.allSatisfy { $0.isNumber || $0 == .null }
            let limit = max(maxColumnWidth, Self.count(name))
            let cells = values.map { Self.cut(Self.sanitized(Self.text($0)), to: limit) }
            let widths = cells.map(Self.count)
            return Column(header: name, cells: cells, cellWidths: widths, rightAligned: numeric,
                          width: max(Self.count(name), widths.max() ?? 0))
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
    }

    /// The display text of a value.
    static func text(_ value: AnalysisValue) -> String {
        switch value {
        case .null: "-"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
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

    /// The text with control characters replaced by spaces.
    static func sanitized(_ s: String) -> String {
        // Printable ASCII has no control characters.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        guard s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.properties.generalCategory == .control { out += " " } else { out.unicodeScalars.append(scalar) }
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
