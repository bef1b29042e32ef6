/// One output row: named columns in a fixed order.
///
/// Rows are ordered lists, never dictionaries, so output order is part of the
/// metric set's definition and renders byte-identically every time.
public struct AnalysisRow: Sendable, Equatable {
    /// The row's columns, in output order.
    public var columns: [(name: String, value: AnalysisValue)]

    /// Creates a row from its columns, in output order.
    public init(_ columns: [(name: String, value: AnalysisValue)]) {
        self.columns = columns
    }

    /// The column names, in order.
    public var names: [String] { columns.map(\.name) }

    /// The value of the first column with this name, or `nil` when the row
    /// has no such column.
    public subscript(name: String) -> AnalysisValue? {
        columns.first { $0.name == name }?.value
    }

    /// The row with a column put first, unless the row already has a
    /// column of that name (then the row as it is).
    public func leading(_ name: String, _ value: AnalysisValue) -> AnalysisRow {
        self[name] == nil ? AnalysisRow([(name, value)] + columns) : self
    }

    /// Inserts columns before the first column named `name` (at the end
    /// when there is none).
    public mutating func insert(_ inserted: [(name: String, value: AnalysisValue)], before name: String) {
        let index = columns.firstIndex { $0.name == name } ?? columns.count
        columns.insert(contentsOf: inserted, at: index)
    }

    /// Rows are equal when they have the same names and values in the same order.
    public static func == (lhs: AnalysisRow, rhs: AnalysisRow) -> Bool {
        lhs.columns.count == rhs.columns.count
            && zip(lhs.columns, rhs.columns).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
