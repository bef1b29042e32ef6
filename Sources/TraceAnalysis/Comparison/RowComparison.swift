/// Row-by-row differences between the same view computed by two metric
/// sets: the re-analysis story ("what happens to last month's numbers
/// under the new definition").
///
/// Rows are matched by their key columns (e.g. `query_id` and
/// `turn_index`). For each matched pair and each column both rows have,
/// a value that differs gives one output row:
///
///     KEY…, column, value_a, value_b, delta, relative_change
///
/// `delta = b − a` and `relative_change = (b − a) / |a|` for numbers (null
/// when either is null or `a` is 0); other values (flags, tool lists) show
/// `value_a` and `value_b` only. A row present in one set only gives one
/// output row with `column` = `row` and `present`/`absent` values. Columns
/// only one set has are listed once per view in ``onlyInA`` / ``onlyInB``.
/// Output order: rows in A's order (then B-only rows in B's order), columns
/// in A's order. Equal means bit-identical for doubles.
public struct RowComparison: Sendable {
    /// The differing values, as rows.
    public var rows: [AnalysisRow]
    /// Columns only set A produces.
    public var onlyInA: [String]
    /// Columns only set B produces.
    public var onlyInB: [String]
    /// Matched rows with no differing value.
    public var unchangedRows: Int

    /// Compares `a` and `b`, matching rows on `keys`.
    public init(a: [AnalysisRow], b: [AnalysisRow], keys: [String]) {
        func key(_ row: AnalysisRow) -> [AnalysisValue] { keys.map { row[$0] ?? .null } }
        let namesA = Self.columnNames(a), namesB = Self.columnNames(b)
        let common = namesA.filter { namesB.contains($0) && !keys.contains($0) }
        onlyInA = namesA.filter { !namesB.contains($0) }
        onlyInB = namesB.filter { !namesA.contains($0) }
        rows = []
        unchangedRows = 0

        // Matching uses the keys' text; the index is only looked up, never
        // iterated, so output order does not depend on hashing.
        func text(_ values: [AnalysisValue]) -> String {
            values.map { String(describing: $0) }.joined(separator: "\u{1F}")
        }
        var bIndex: [String: Int] = [:]
        for (i, row) in b.enumerated() where bIndex[text(key(row))] == nil { bIndex[text(key(row))] = i }
        var matchedB = Set<Int>()
        for rowA in a {
            let k = key(rowA)
            guard let j = bIndex[text(k)], !matchedB.contains(j) else {
                rows.append(Self.presence(keys: keys, key: k, inA: true))
                continue
            }
            matchedB.insert(j)
            let rowB = b[j]
            var changed = false
            for column in common {
                let va = rowA[column] ?? .null, vb = rowB[column] ?? .null
                if va == vb { continue }
                changed = true
                rows.append(Self.difference(keys: keys, key: k, column: column, a: va, b: vb))
            }
            if !changed { unchangedRows += 1 }
        }
        for (j, rowB) in b.enumerated() where !matchedB.contains(j) {
            rows.append(Self.presence(keys: keys, key: key(rowB), inA: false))
        }
    }

    static func columnNames(_ rows: [AnalysisRow]) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for row in rows {
            for name in row.names where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    static func difference(keys: [String], key: [AnalysisValue], column: String, a: AnalysisValue, b: AnalysisValue)
        -> AnalysisRow
    {
        var delta = AnalysisValue.null, relative = AnalysisValue.null
        if let x = a.doubleValue, let y = b.doubleValue, a.isNumber, b.isNumber {
            if case .int(let i) = a, case .int(let j) = b {
                let (d, overflow) = j.subtractingReportingOverflow(i)
                delta = overflow ? .double(y - x) : .int(d)
            } else {
                delta = .double(y - x)
            }
            if x != 0 { relative = .double((y - x) / abs(x)) }
        }
        return AnalysisRow(
            zip(keys, key).map { ($0, $1) }
                + [("column", .string(column)), ("value_a", a), ("value_b", b), ("delta", delta),
                   ("relative_change", relative)])
    }

    static func presence(keys: [String], key: [AnalysisValue], inA: Bool) -> AnalysisRow {
        AnalysisRow(
            zip(keys, key).map { ($0, $1) }
                + [("column", .string("row")), ("value_a", .string(inA ? "present" : "absent")),
                   ("value_b", .string(inA ? "absent" : "present")), ("delta", .null), ("relative_change", .null)])
    }
}
