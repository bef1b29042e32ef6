import Synchronization

/// One output row: named columns in a fixed order.
///
/// Rows are ordered lists, never dictionaries, so output order is part of the
/// metric set's definition and renders byte-identically every time.
///
/// A row holds its values and its column names apart: rows of the same
/// shape share one array of names (``RowShapes``), so a row costs its
/// values only.
public struct AnalysisRow: Sendable, Equatable {
    /// The column names, in output order (shared between rows of the same
    /// shape).
    public private(set) var names: [String]
    /// The values, in the order of ``names``.
    public private(set) var values: [AnalysisValue]

    /// Creates a row from its columns, in output order.
    public init(_ columns: [(name: String, value: AnalysisValue)]) {
        self.names = RowShapes.shared(columns.map(\.name))
        self.values = columns.map(\.value)
    }

    /// Creates a row from its column names and their values, in output
    /// order (as many values as names).
    public init(names: [String], values: [AnalysisValue]) {
        precondition(names.count == values.count, "a row needs one value per column")
        self.names = RowShapes.shared(names)
        self.values = values
    }

    /// A row of a shape its maker keeps (an array of names every row of
    /// that shape shares, such as a `static let`) and its values.
    init(shape names: [String], values: [AnalysisValue]) {
        precondition(names.count == values.count, "a row needs one value per column")
        self.names = names
        self.values = values
    }

    /// The row's columns, in output order.
    public var columns: [(name: String, value: AnalysisValue)] {
        get { zip(names, values).map { ($0, $1) } }
        set {
            names = RowShapes.shared(newValue.map(\.name))
            values = newValue.map(\.value)
        }
    }

    /// The number of columns.
    public var count: Int { values.count }

    /// Whether the row's columns are `names`, in this order.
    public func hasColumns(_ names: [String]) -> Bool { self.names == names }

    /// The position of the first column with this name.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// The value of the first column with this name, or `nil` when the row
    /// has no such column.
    public subscript(name: String) -> AnalysisValue? {
        index(of: name).map { values[$0] }
    }

    /// The row with a column put first, unless the row already has a
    /// column of that name (then the row as it is).
    public func leading(_ name: String, _ value: AnalysisValue) -> AnalysisRow {
        guard index(of: name) == nil else { return self }
        var out = self
        out.replace(0..<0, with: [(name, value)])
        return out
    }

    /// Inserts columns before the first column named `name` (at the end
    /// when there is none).
    public mutating func insert(_ inserted: [(name: String, value: AnalysisValue)], before name: String) {
        let position = index(of: name) ?? count
        replace(position..<position, with: inserted)
    }

    /// Sets a column's value in place, or appends the column when absent.
    public mutating func set(_ name: String, _ value: AnalysisValue) {
        if let position = index(of: name) {
            values[position] = value
        } else {
            replace(count..<count, with: [(name, value)])
        }
    }

    /// The row with `leading` put first (unless the row has a column of
    /// that name) and each of `columns` set: in place where the row has the
    /// column, else appended in order. The same row as ``leading(_:_:)``
    /// then ``set(_:_:)`` for each column, made in one pair of arrays of
    /// exactly its size.
    public func updating(
        leading: (name: String, value: AnalysisValue)? = nil, _ columns: [(name: String, value: AnalysisValue)]
    ) -> AnalysisRow {
        let lead = leading.flatMap { index(of: $0.name) == nil ? $0 : nil }
        var replaced = values
        var appended: [(name: String, value: AnalysisValue)] = []
        for column in columns {
            if let position = index(of: column.name) {
                replaced[position] = column.value
            } else if let position = appended.firstIndex(where: { $0.name == column.name }) {
                appended[position].value = column.value
            } else {
                appended.append(column)
            }
        }
        if lead == nil && appended.isEmpty {
            var out = self
            out.values = replaced
            return out
        }
        let size = (lead == nil ? 0 : 1) + count + appended.count
        var newNames: [String] = []
        var newValues: [AnalysisValue] = []
        newNames.reserveCapacity(size)
        newValues.reserveCapacity(size)
        if let lead {
            newNames.append(lead.name)
            newValues.append(lead.value)
        }
        newNames += names
        newValues += replaced
        for column in appended {
            newNames.append(column.name)
            newValues.append(column.value)
        }
        return AnalysisRow(names: newNames, values: newValues)
    }

    /// Replaces the columns in `range` with `columns`, in arrays of exactly
    /// the new size.
    mutating func replace(_ range: Range<Int>, with columns: [(name: String, value: AnalysisValue)]) {
        let size = count - range.count + columns.count
        var newNames: [String] = []
        var newValues: [AnalysisValue] = []
        newNames.reserveCapacity(size)
        newValues.reserveCapacity(size)
        newNames += names[..<range.lowerBound]
        newValues += values[..<range.lowerBound]
        for column in columns {
            newNames.append(column.name)
            newValues.append(column.value)
        }
        newNames += names[range.upperBound...]
        newValues += values[range.upperBound...]
        names = RowShapes.shared(newNames)
        values = newValues
    }

    /// Rows are equal when they have the same names and values in the same order.
    public static func == (lhs: AnalysisRow, rhs: AnalysisRow) -> Bool {
        lhs.names == rhs.names && lhs.values == rhs.values
    }
}

/// The column names of recent row shapes, so that rows of one shape share
/// one array of names: a row built from names equal to a recent shape's
/// takes that shape's array (its storage), not a copy.
///
/// A few shapes are remembered (the most recently used first); a process
/// makes rows of a handful of shapes per view, so nearly every row finds
/// its shape. Which array a row holds never changes what it contains.
enum RowShapes {
    /// How many shapes are remembered.
    static let capacity = 32
    private static let recent = Mutex<[[String]]>([])

    /// `names`, or an equal array already in use.
    static func shared(_ names: [String]) -> [String] {
        recent.withLock { shapes in
            if let position = shapes.firstIndex(of: names) {
                let found = shapes[position]
                if position > 0 {
                    shapes.remove(at: position)
                    shapes.insert(found, at: 0)
                }
                return found
            }
            shapes.insert(names, at: 0)
            if shapes.count > capacity { shapes.removeLast() }
            return names
        }
    }
}
