import TraceAnalysis

/// The rows of one database table before they are written: column names
/// (after the identifying columns every table has) and values in order.
public struct DatabaseTable: Sendable {
    /// The table's name (`runs`, `queries`, `turns`, `tools`, `models`).
    public var name: String
    /// The columns after the identifying ones, in order.
    public var columns: [String]
    /// One array of values per row, in ``columns`` order.
    public var rows: [[AnalysisValue]]

    /// Creates a table from analysis rows: the columns are the rows' names
    /// in order of first appearance; a row lacking a column gets NULL.
    public init(name: String, analysisRows: [AnalysisRow], leading: [(String, AnalysisValue)] = []) {
        self.name = name
        var names: [String] = leading.map(\.0)
        var seen = Set(names)
        for row in analysisRows {
            for column in row.names where seen.insert(column).inserted { names.append(column) }
        }
        columns = names
        rows = analysisRows.map { row in
            names.map { name in row[name] ?? leading.first { $0.0 == name }?.1 ?? .null }
        }
    }

    /// Creates a table from columns and rows.
    public init(name: String, columns: [String], rows: [[AnalysisValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The SQL type declared for a column: that of its first non-null value
    /// (`INTEGER` for integers and booleans, `REAL`, `TEXT` for strings and
    /// for lists and objects stored as JSON), none when every value is NULL.
    func declaredType(ofColumn index: Int) -> String {
        for row in rows {
            switch row[index] {
            case .null: continue
            case .bool, .int: return "INTEGER"
            case .double: return "REAL"
            case .string, .strings, .object: return "TEXT"
            }
        }
        return ""
    }
}

extension SQLiteValue {
    /// How an analysis value is stored: booleans as 0/1, lists and objects as
    /// JSON text, non-finite numbers as NULL.
    public init(_ value: AnalysisValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .integer(b ? 1 : 0)
        case .int(let i): self = .integer(i)
        case .double(let d): self = d.isFinite ? .real(d) : .null
        case .string(let s): self = .text(s)
        case .strings, .object: self = .text(JSONText.value(value))
        }
    }
}

extension SQLiteStatement {
    /// Binds an analysis value as ``SQLiteValue/init(_:)`` stores it, without
    /// building the intermediate value.
    func bind(_ value: AnalysisValue, at index: Int32) {
        switch value {
        case .null: bindNull(at: index)
        case .bool(let b): bindInteger(b ? 1 : 0, at: index)
        case .int(let i): bindInteger(i, at: index)
        case .double(let d): bindReal(d, at: index)
        case .string(let s): bindText(s, at: index)
        case .strings, .object: bindText(JSONText.value(value), at: index)
        }
    }
}
