/// The database's fixed schema (docs/SQL.md describes it for users).
///
/// Every data table starts with the columns that say what made the row —
/// `log_hash`, `metric_set`, `metric_set_version`, `price_table_hash` — then
/// its key columns, then the view's columns, added with `ALTER TABLE` the
/// first time a metric set brings a column the table lacks. `loads` records
/// each load, so loading the same logs with the same set again is a no-op.
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

    /// Creates the tables and indexes that do not exist yet.
    static let create = """
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
        CREATE TABLE IF NOT EXISTS runs (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            run_id TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS queries (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            run_id TEXT NOT NULL, query_id TEXT
        );
        CREATE TABLE IF NOT EXISTS turns (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            run_id TEXT NOT NULL, query_id TEXT, turn_index INTEGER
        );
        CREATE TABLE IF NOT EXISTS tools (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            tool TEXT
        );
        CREATE TABLE IF NOT EXISTS models (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            model TEXT
        );
        CREATE TABLE IF NOT EXISTS tool_calls (
            log_hash TEXT NOT NULL, metric_set TEXT NOT NULL, metric_set_version TEXT NOT NULL, price_table_hash TEXT,
            run_id TEXT NOT NULL, query_id TEXT, span_id TEXT, tool TEXT NOT NULL, turn_index INTEGER,
            ok INTEGER, error TEXT, latency_s REAL, parent_span_id TEXT, output_bytes INTEGER
        );
        CREATE INDEX IF NOT EXISTS runs_key ON runs (run_id, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS queries_key ON queries (run_id, query_id, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS turns_key ON turns (run_id, query_id, turn_index, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS tools_key ON tools (tool, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS models_key ON models (model, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS tool_calls_key ON tool_calls (run_id, query_id, turn_index, metric_set, log_hash);
        CREATE INDEX IF NOT EXISTS tool_calls_tool ON tool_calls (tool);
        """
}
