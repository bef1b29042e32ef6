/// Which columns a table shows and under which headers: the compact tables
/// of `--by turn` and `--by query`, or the columns `--columns` names.
///
/// Only tables have layouts; CSV and JSON always carry the rows' own
/// column names (``AnalysisReport/columns`` may still choose which).
public struct TableLayout: Sendable, Equatable {
    /// One column of the table.
    public struct Column: Sendable, Equatable {
        /// The row's column it shows.
        public var name: String
        /// What the table prints above it (units included: `GPU J`, `cost $`).
        public var header: String
        /// Whether it may be cut below its natural width so the table fits
        /// in one panel (names, tools, flags, errors).
        public var shrinks: Bool
        /// Whether the totals row sums it (the known values, ``KnownSum``).
        public var totals: Bool

        /// Creates a column.
        public init(_ name: String, header: String? = nil, shrinks: Bool = false, totals: Bool = false) {
            self.name = name
            self.header = header ?? name
            self.shrinks = shrinks
            self.totals = totals
        }
    }

    /// The columns, in order; columns the rows lack are left out.
    public var columns: [Column]
    /// The first cell of a totals row after the rows (tables of more than
    /// one row); nil for none.
    public var totalsLabel: String?

    /// Creates a layout.
    public init(_ columns: [Column], totalsLabel: String? = nil) {
        self.columns = columns
        self.totalsLabel = totalsLabel
    }

    /// The columns named, under their own names.
    public static func named(_ names: [String]) -> TableLayout {
        TableLayout(names.map { Column($0) })
    }

    /// The compact table of `--by turn`: query, turn, model, tokens in and
    /// out, tools, seconds, GPU joules, cost and flags (with the run first
    /// when `withRun`), fitted to 80 columns, with totals.
    public static func turns(withRun: Bool) -> TableLayout {
        TableLayout((withRun ? [Column("run_id", header: "run", shrinks: true)] : []) + [
            Column("query_id", header: "query", shrinks: true),
            Column("turn_index", header: "turn"),
            Column("model", shrinks: true),
            Column("input_tokens", header: "in", totals: true),
            Column("output_tokens", header: "out", totals: true),
            Column("tools_called", header: "tools", shrinks: true),
            Column("wall_clock_s", header: "s", totals: true),
            Column("gpu_energy_joules", header: "GPU J", totals: true),
            Column("cost_usd", header: "cost $", totals: true),
            Column("flags", shrinks: true),
        ], totalsLabel: "total")
    }

    /// The compact table of `--by query`: query, status, turns, tokens in
    /// and out, tool calls, seconds, GPU joules, cost and the error (with
    /// the run first when `withRun`), with totals.
    public static func queries(withRun: Bool) -> TableLayout {
        TableLayout((withRun ? [Column("run_id", header: "run", shrinks: true)] : []) + [
            Column("query_id", header: "query", shrinks: true),
            Column("status", shrinks: true),
            Column("num_turns", header: "turns", totals: true),
            Column("total_input_tokens", header: "in", totals: true),
            Column("total_output_tokens", header: "out", totals: true),
            Column("tool_call_count", header: "tools", totals: true),
            Column("total_wall_clock_s", header: "s", totals: true),
            Column("total_gpu_energy_joules", header: "GPU J", totals: true),
            Column("total_cost_usd", header: "cost $", totals: true),
            Column("error", shrinks: true),
        ], totalsLabel: "total")
    }
}
