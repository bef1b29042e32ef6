import Foundation
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

extension AnalysisValue {
    /// Whether `self` is stored exactly as `other` is: the same case with
    /// the same value, strings compared by their UTF-8 bytes (not by
    /// Unicode equivalence, as `==` does) and doubles by bit pattern.
    func isStored(as other: AnalysisValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): return sameBytes(a, b)
        case (.strings(let a), .strings(let b)): return a.count == b.count && zip(a, b).allSatisfy { sameBytes($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { sameBytes($0.0, $1.0) && $0.1.isStored(as: $1.1) }
        default: return false
        }
    }
}

/// Whether two strings have the same UTF-8 bytes.
private func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a
    var b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
}
