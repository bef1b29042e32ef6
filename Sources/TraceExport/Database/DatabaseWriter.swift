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

    /// The steps of a load after the check for an earlier identical load,
    /// reported as each begins (for progress display and timing).
    public enum Phase: Sendable, Equatable {
        /// Tables (with their indexes) are created or given the columns
        /// they lack.
        case preparingTables
        /// Rows are being inserted (and the indexes updated).
        case insertingRows
        /// The transaction is being committed.
        case committing
    }

    /// Inserts `content` unless the same logs were loaded with the same
    /// metric set (name and version) and price table before.
    ///
    /// `progress` is told the rows inserted so far; `phase` is told each
    /// ``Phase`` as it begins.
    public func write(
        _ content: DatabaseContent, progress: ExportProgress? = nil, phase: ((Phase) -> Void)? = nil
    ) throws(SQLiteError) -> Outcome {
        // Write-ahead logging: one load is one transaction whose commit
        // appends to the log instead of rewriting pages twice; until the
        // commit, nothing of the load is visible, and a crash or a failed
        // load leaves the database as it was. Into a file that holds loads,
        // `synchronous = NORMAL`: the commit is not synced; the log header
        // of a fresh log and the checkpoint that copies the log into the
        // file are, so a power loss can cost the last load but never the
        // earlier ones. A new file holds nothing to keep, so it is written
        // with `synchronous = OFF`: no sync at all (they cost more than the
        // rows on a slow disk); it is safe against crashes of the program,
        // and on a power loss before the system has written it out it may
        // be lost or damaged, and is loaded again.
        // 64 KiB pages (for a new file) cut the number of page writes at
        // commit and checkpoint 16-fold.
        let isNew = try connection.rows("PRAGMA page_count").first?.first == "0"
        try connection.execute(
            "PRAGMA page_size = 65536; PRAGMA synchronous = \(isNew ? "OFF" : "NORMAL"); PRAGMA journal_mode = WAL; "
                + "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        return try connection.transaction { () throws(SQLiteError) -> Outcome in
            try connection.execute(DatabaseSchema.createLoads)
            let present = try connection.rows(
                "SELECT count(*) FROM loads WHERE log_hash = ? AND metric_set = ? AND metric_set_version = ? AND price_table_hash IS ?",
                identifying(content))
            if present.first?.first == "1" { return .alreadyLoaded }

            phase?(.preparingTables)
            // A table that does not exist yet is created with every column
            // this load brings (one statement instead of one `ALTER TABLE`
            // and schema reload per column), and with its indexes. Rows come
            // in key order, mostly, so each index insert lands next to the
            // previous one; that costs less than dropping the indexes of an
            // empty table and sorting them after the insert, even for rows
            // in random order.
            let existing = Set(try connection.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0[0] })
            for name in DatabaseSchema.tableNames {
                let table = content.tables.first { $0.name == name }
                if !existing.contains(name) {
                    let columns = table.map { table in
                        table.columns.enumerated().map { ($1, table.declaredType(ofColumn: $0)) }
                    } ?? []
                    try connection.execute(DatabaseSchema.createTable(name, columns: columns))
                } else if let table {
                    try addMissingColumns(of: table)
                }
                for index in DatabaseSchema.indexes[name] ?? [] { try connection.execute(index) }
            }

            phase?(.insertingRows)
            let total = content.rowCount
            var done = 0
            var counts: [Int] = []
            for table in content.tables {
                try insertRows(of: table, content: content) { rows in
                    if (done + rows) >> 12 != done >> 12 { progress?(done + rows, total) }
                    done += rows
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
            phase?(.committing)
            return .loaded(rows: counts)
        }
    }

    /// Inserts the rows of `table` (``RowInserter``). Columns that hold the
    /// same value in every row (for example `run_id` when the logs hold one
    /// run) are bound once with the identifying columns; only the others are
    /// bound per row. `inserted` is told how many rows went in at each step.
    private func insertRows(
        of table: DatabaseTable, content: DatabaseContent, inserted: (Int) -> Void
    ) throws(SQLiteError) {
        guard let first = table.rows.first else { return }
        let constant = table.columns.indices.filter { column in
            table.rows.allSatisfy { $0[column].isStored(as: first[column]) }
        }
        let constantSet = Set(constant)
        let varying = table.columns.indices.filter { !constantSet.contains($0) }
        let inserter = try RowInserter(
            connection: connection, table: table.name,
            sharedNames: DatabaseSchema.identifyingColumns + constant.map { table.columns[$0] },
            sharedValues: identifying(content) + constant.map { SQLiteValue(first[$0]) },
            names: varying.map { table.columns[$0] }, columns: varying)
        try inserter.insert(table.rows, inserted: inserted)
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
    private func quoted(_ name: String) -> String { DatabaseSchema.quoted(name) }
}
