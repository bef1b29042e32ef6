/// The database's fixed schema (docs/SQL.md describes it for users).
///
/// Every data table starts with the columns that say what made the row —
/// `log_hash`, `metric_set`, `metric_set_version`, `price_table_hash` — then
/// its key columns, then the view's columns. A table is created on the first
/// load with the columns that load brings; a later load that brings columns
/// the table lacks adds them with `ALTER TABLE`. `loads` records each load,
/// so loading the same logs with the same set again is a no-op.
public enum DatabaseSchema {
    /// The columns every data table starts with.
    public static let identifyingColumns = ["log_hash", "metric_set", "metric_set_version", "price_table_hash"]

    /// The `tools` table's columns after the identifying ones.
    public static let toolCallColumns = [
        "run_id", "query_id", "span_id", "tool", "turn_index", "ok", "error", "latency_s", "parent_span_id",
        "output_bytes",
    ]

    /// The data tables in load order.
    public static let tableNames = ["runs", "queries", "turns", "tools", "models", "tool_calls"]

    /// Creates the `loads` table and its unique index if they do not exist.
    static let createLoads = """
        CREATE TABLE IF NOT EXISTS loads (
            log_hash TEXT NOT NULL,
            metric_set TEXT NOT NULL,
            metric_set_version TEXT NOT NULL,
            price_table_hash TEXT,
            runs INTEGER NOT NULL,
            queries INTEGER NOT NULL,
            turns INTEGER NOT NULL,
            tools INTEGER NOT NULL,
            models INTEGER NOT NULL,
            tool_calls INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS loads_key ON loads (log_hash, metric_set, metric_set_version, ifnull(price_table_hash, ''));
        """

    /// The definitions of the identifying columns.
    static let identifyingColumnDefinitions =
        "log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT"

    /// Each data table's key columns (name and declaration), which every
    /// table of that name has whatever the metric set.
    static let keyColumns: [String: [(name: String, type: String)]] = [
        "runs": [("run_id", "TEXT NOT NULL")],
        "queries": [("run_id", "TEXT NOT NULL"), ("query_id", "TEXT")],
        "turns": [("run_id", "TEXT NOT NULL"), ("query_id", "TEXT"), ("turn_index", "INTEGER")],
        "tools": [("run_id", "TEXT"), ("tool", "TEXT")],
        "models": [("run_id", "TEXT"), ("model", "TEXT")],
        "tool_calls": [
            ("run_id", "TEXT NOT NULL"), ("query_id", "TEXT"), ("span_id", "TEXT"), ("tool", "TEXT NOT NULL"),
            ("turn_index", "INTEGER"), ("ok", "INTEGER"), ("error", "TEXT"), ("latency_s", "REAL"),
            ("parent_span_id", "TEXT"), ("output_bytes", "INTEGER"),
        ],
    ]

    /// Each data table's indexes: the keys the tables are joined on (the
    /// identifying columns are left out; a join that also matches them
    /// filters the few rows one key finds).
    static let indexes: [String: [String]] = [
        "runs": ["CREATE INDEX IF NOT EXISTS runs_key ON runs (run_id)"],
        "queries": ["CREATE INDEX IF NOT EXISTS queries_key ON queries (run_id, query_id)"],
        "turns": ["CREATE INDEX IF NOT EXISTS turns_key ON turns (run_id, query_id, turn_index)"],
        "tools": ["CREATE INDEX IF NOT EXISTS tools_key ON tools (run_id, tool)"],
        "models": ["CREATE INDEX IF NOT EXISTS models_key ON models (run_id, model)"],
        "tool_calls": ["CREATE INDEX IF NOT EXISTS tool_calls_key ON tool_calls (run_id, query_id, turn_index)"],
    ]

    /// The statement that creates data table `name` with its identifying
    /// and key columns followed by `columns` (name and declared type, empty
    /// for none); key columns named again in `columns` are not repeated.
    static func createTable(_ name: String, columns: [(name: String, type: String)]) -> String {
        let keys = keyColumns[name] ?? []
        let keyNames = Set(keys.map(\.name))
        let definitions = (keys + columns.filter { !keyNames.contains($0.name) }).map { column in
            quoted(column.name) + (column.type.isEmpty ? "" : " " + column.type)
        }
        return "CREATE TABLE IF NOT EXISTS \(quoted(name)) (\(([identifyingColumnDefinitions] + definitions).joined(separator: ", ")))"
    }

    /// A quoted SQL identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
