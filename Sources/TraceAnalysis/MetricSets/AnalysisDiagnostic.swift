/// A warning about the input met during analysis; analysis goes on past it.
///
/// Its ``description`` names where the problem is, e.g.
/// `run r1, query q0003, record 57: tool end without a start (tool "search")`.
public struct AnalysisDiagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The run the problem is in.
    public var runID: String
    /// The query the problem is in, if any.
    public var queryID: String?
    /// The record (``TraceLog/TraceEvent/sequence``) at fault, if one is.
    public var sequence: UInt64?
    /// What is wrong.
    public var message: String

    /// Creates a diagnostic.
    public init(runID: String, queryID: String? = nil, sequence: UInt64? = nil, message: String) {
        self.runID = runID
        self.queryID = queryID
        self.sequence = sequence
        self.message = message
    }

    /// `run R[, query Q][, record N]: message`.
    public var description: String {
        var location = "run \(runID)"
        if let queryID { location += ", query \(queryID)" }
        if let sequence { location += ", record \(sequence)" }
        return "\(location): \(message)"
    }
}
