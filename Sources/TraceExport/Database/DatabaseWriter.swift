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
        // 64 KiB pages (for a new file) cut the number of page writes at
        // commit and checkpoint 16-fold; the indexes built after a bulk
        // insert sort in memory.
        try connection.execute(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        return try connection.transaction { () throws(SQLiteError) -> Outcome in
            try connection.execute(DatabaseSchema.create)
            let present = try connection.rows(
                "SELECT count(*) FROM loads WHERE log_hash = ? AND metric_set = ? AND metric_set_version = ? AND price_table_hash IS ?",
                identifying(content))
            if present.first?.first == "1" { return .alreadyLoaded }

            let total = content.rowCount
            var done = 0
            var counts: [Int] = []
            // Indexes of tables that are still empty are dropped and built
            // again after the insert: one sort instead of a B-tree insert
            // per row and index. The transaction hides the gap.
            var deferredIndexes: [String] = []
            for table in content.tables where !table.rows.isEmpty {
                if try isEmpty(table.name) { deferredIndexes += try dropIndexes(of: table.name) }
            }
            for table in content.tables {
                try addMissingColumns(of: table)
                let names = DatabaseSchema.identifyingColumns + table.columns
                let sql = "INSERT INTO \(quoted(table.name)) (\(names.map(quoted).joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
                let insert = try connection.prepare(sql)
                for (i, value) in identifying(content).enumerated() { insert.bind(value, at: Int32(i + 1)) }
                let offset = Int32(DatabaseSchema.identifyingColumns.count)
                for row in table.rows {
                    var parameter = offset
                    for value in row {
                        parameter += 1
                        insert.bind(value, at: parameter)
                    }
                    try insert.step()
                    insert.reset()
                    done += 1
                    if done & 0xFFF == 0 { progress?(done, total) }
                }
                counts.append(table.rows.count)
            }
            for index in deferredIndexes { try connection.execute(index) }
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

    /// Whether the data table `name` holds no rows.
    private func isEmpty(_ name: String) throws(SQLiteError) -> Bool {
        try connection.rows("SELECT NOT EXISTS (SELECT 1 FROM \(quoted(name)))").first?.first == "1"
    }

    /// Drops the indexes of table `name` and returns the statements that
    /// create them again, exactly as they were created.
    private func dropIndexes(of name: String) throws(SQLiteError) -> [String] {
        let indexes = try connection.rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid",
            [.text(name)])
        var creates: [String] = []
        for index in indexes {
            guard let indexName = index[0], let sql = index[1] else { continue }
            try connection.execute("DROP INDEX \(quoted(indexName))")
            creates.append(sql)
        }
        return creates
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
