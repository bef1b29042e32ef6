import ArgumentParser
import TraceLog

/// `trace-analyze`: rebuild turns, queries and runs from agent-trace logs,
/// and move events in and out of logs.
public struct TraceAnalyzeCommand: ParsableCommand {
    /// The command's configuration.
    public static let configuration = CommandConfiguration(
        commandName: "trace-analyze",
        abstract: "Analyse agent-trace logs: turns, queries, runs, energy, tokens.",
        discussion: """
            Logs are segmented zstd files written by the recorder, `trace-record` or \
            `trace-analyze import`. Analysis is deterministic: the same logs, metric set \
            and price table give byte-identical output.

            Examples:
              trace-analyze run.zst --by turn
              trace-analyze run.zst --by query --format csv > queries.csv
              trace-analyze run.zst --by model --prices prices.json
              trace-analyze run.zst --by label:data_id
              trace-analyze export run.zst --out summary/
              trace-analyze run.zst --metrics ipw
              trace-analyze compare run.zst --metrics ipw --metrics default --by query
              trace-analyze import events.jsonl -o run.zst
              trace-analyze dump run.zst | head
              trace-analyze verify logs/
            """,
        version: "0.1.0",
        subcommands: [
            AnalyzeCommand.self, ImportCommand.self, DumpCommand.self, VerifyCommand.self, MetricsCommand.self,
            CompareCommand.self, ExportCommand.self, PerfettoCommand.self, ReportCommand.self, DbCommand.self,
            OTLPCommand.self,
        ],
        defaultSubcommand: AnalyzeCommand.self
    )

    /// Creates the command.
    public init() {}
}

extension TraceAnalyzeCommand {
    /// Sets up the process for analysis before ``main()``: blocks of 128 KB
    /// or more are mapped on their own and given back when freed
    /// (``FreedMemory/mapLargeBlocks()``), so that what a pass lets go of
    /// does not stay resident through the next.
    public static func prepareProcess() {
        FreedMemory.mapLargeBlocks()
    }
}
