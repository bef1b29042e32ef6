/// The start of a query: one task handed to the agent.
public struct QueryStart: Sendable, Equatable {
    /// The query's identifier, unique within the run.
    public var queryID: String?
    /// The kind of workload (`agentic`, `chat`, …).
    public var workloadType: String?
    /// The query's text.
    public var text: String?
    /// Labels for grouping: data_id, combo_id, agent_id, …
    public var labels: [Label]

    /// Creates a query start.
    public init(queryID: String? = nil, workloadType: String? = nil, text: String? = nil, labels: [Label] = []) {
        self.queryID = queryID
        self.workloadType = workloadType
        self.text = text
        self.labels = labels
    }
}

/// The end of a query, with its outcome.
public struct QueryEnd: Sendable, Equatable {
    /// The query's identifier.
    public var queryID: String?
    /// How it ended: `completed`, `failed`, `timed_out`.
    public var status: String?
    /// The agent's final response.
    public var response: String?
    /// The error, when it failed.
    public var error: String?
    /// Whether the answer was judged correct, where known.
    public var resolved: Bool?
    /// A graded outcome, where known.
    public var score: Double?

    /// Creates a query end.
    public init(
        queryID: String? = nil, status: String? = nil, response: String? = nil, error: String? = nil,
        resolved: Bool? = nil, score: Double? = nil
    ) {
        self.queryID = queryID
        self.status = status
        self.response = response
        self.error = error
        self.resolved = resolved
        self.score = score
    }
}
