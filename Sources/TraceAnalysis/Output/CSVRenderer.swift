/// Renders rows as CSV (RFC 4180).
///
/// - A header row, then one line per row; fields separated by `,`; every
///   line, the last included, ends with LF (`\n`), not CRLF.
/// - Columns are the first row's, then any new columns of later rows in order
///   of first appearance; a row lacking a column gets an empty field.
/// - A last column `metric_set` holds the set's tag, e.g. `ipw@1`.
/// - A field containing a comma, a double quote, CR or LF is enclosed in
///   double quotes, and its double quotes are doubled.
/// - `null` is an empty field; booleans are `true`/`false`; integers are
///   decimal; doubles use the shortest decimal that round-trips
///   (Swift's `Double.description`), and non-finite doubles are empty
///   fields; string lists and objects are their compact JSON text.
///
/// - Text that a spreadsheet would run as a formula (a string field starting
///   with `=`, `+`, `-`, `@`, tab or CR: a tool or model name from a log)
///   gets a `'` in front (the OWASP rule), unless ``neutralizesFormulas`` is
///   off (`--csv-formulas` for machine consumers). Numbers are never
///   changed.
///
/// Output is byte-deterministic.
public struct CSVRenderer: Sendable {
    /// Whether text fields that would start a spreadsheet formula get a `'`.
    public var neutralizesFormulas: Bool

    /// Creates a renderer.
    public init(neutralizesFormulas: Bool = true) {
        self.neutralizesFormulas = neutralizesFormulas
    }

    /// Renders rows, naming the metric set that made them.
    public func render(_ rows: [AnalysisRow], metricSet: MetricSetIdentity) -> String {
        let names = ValueText.columnNames(of: rows)
        var out = ""
        out += (names + ["metric_set"]).map(Self.quoted).joined(separator: ",") + "\n"
        let tag = Self.quoted(metricSet.tag)
        for row in rows {
            // A row with exactly these columns in this order (the usual
            // case) is read by position, not searched by name.
            var fields = row.hasColumns(names)
                ? row.values.map { Self.quoted(field($0)) }
                : names.map { name in Self.quoted(field(row[name] ?? .null)) }
            fields.append(tag)
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A value's field, a would-be formula neutralised when asked.
    func field(_ value: AnalysisValue) -> String {
        let text = Self.field(value)
        guard neutralizesFormulas, case .string = value, let first = text.unicodeScalars.first,
              ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }

    /// The unquoted text of a value as a CSV field.
    static func field(_ value: AnalysisValue) -> String {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d.isFinite ? d.description : ""
        case .string(let s): s
        case .strings, .object: ValueText.json(value)
        }
    }

    /// The field, quoted when it holds a comma, a quote, CR or LF.
    static func quoted(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return field }
        var out = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }
}
