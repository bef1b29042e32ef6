import Foundation
import CSQLite

/// Writes ``DatabaseContent`` into a SQLite database, in one transaction,
/// with one prepared insert per table.
public struct DatabaseWriter {
    /// The database written to.
    public let connection: SQLiteConnection

    /// Creates a writer (the schema is created on the first write).
    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// What a write did.
    public enum Outcome: Sendable, Equatable {
        /// The rows were inserted: how many per table, in ``DatabaseSchema/tableNames`` order.
        case loaded(rows: [Int])
        /// These logs were already loaded with this metric set and price table: nothing was written.
        case alreadyLoaded
    }

    /// Inserts `content` unless the same logs were loaded with the same
    /// metric set (name and version) and price table before.
    public func write(_ content: DatabaseContent, progress: ExportProgress? = nil) throws(SQLiteError) -> Outcome {
        // Write-ahead logging: one load is one transaction whose commit
        // appends to the log instead of rewriting pages twice.
        try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
        return try connection.transaction { () throws(SQLiteError) -> Outcome in
            try connection.execute(DatabaseSchema.create)
            let present = try connection.rows(
                "SELECT count(*) FROM loads WHERE log_hash = ? AND metric_set = ? AND metric_set_version = ? AND price_table_hash IS ?",
                identifying(content))
            if present.first?.first == "1" { return .alreadyLoaded }

            let total = content.rowCount
            var done = 0
            var counts: [Int] = []
            for table in content.tables {
                try addMissingColumns(of: table)
                let names = DatabaseSchema.identifyingColumns + table.columns
                let sql = "INSERT INTO \(quoted(table.name)) (\(names.map(quoted).joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
                let insert = try connection.prepare(sql)
                for (i, value) in identifying(content).enumerated() { insert.bind(value, at: Int32(i + 1)) }
                let offset = Int32(DatabaseSchema.identifyingColumns.count)
                for row in table.rows {
                    for (i, value) in row.enumerated() { insert.bind(SQLiteValue(value), at: offset + Int32(i) + 1) }
                    try insert.step()
                    insert.reset()
                    done += 1
                    if done & 0xFFF == 0 { progress?(done, total) }
                }
                counts.append(table.rows.count)
            }
            let record = try connection.prepare(
                "INSERT INTO loads (log_hash, metric_set, metric_set_version, price_table_hash, runs, queries, turns, tools, models, tool_calls) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, value) in (identifying(content) + counts.map { .integer(Int64($0)) }).enumerated() {
                record.bind(value, at: Int32(i + 1))
            }
            try record.step()
            progress?(total, total)
            return .loaded(rows: counts)
        }
    }

    /// The identifying columns' values.
    private func identifying(_ content: DatabaseContent) -> [SQLiteValue] {
        [.text(content.logHash), .text(content.metricSet.name), .text(content.metricSet.version),
         content.priceTableHash.map { .text($0) } ?? .null]
    }

    /// Adds the columns a table's rows bring that the database table lacks.
    private func addMissingColumns(of table: DatabaseTable) throws(SQLiteError) {
        let existing = Set(try connection.rows("SELECT name FROM pragma_table_info(?)", [.text(table.name)]).compactMap { $0[0] })
        for (index, column) in table.columns.enumerated() where !existing.contains(column) {
            let type = table.declaredType(ofColumn: index)
            try connection.execute("ALTER TABLE \(quoted(table.name)) ADD COLUMN \(quoted(column))\(type.isEmpty ? "" : " " + type)")
        }
    }

    /// A quoted SQL identifier.
    private func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
