/// The start of a run: who recorded it and what it is about.
public struct RunStart: Sendable, Equatable {
    /// The run's identifier.
    public var runID: String?
    /// The host the run was recorded on.
    public var host: String?
    /// The version of the recorder that wrote the log.
    public var recorderVersion: String?
    /// Free labels: model, git sha, prompt sha, scenario, trial, …
    public var labels: [Label]

    /// Creates a run start.
    public init(runID: String? = nil, host: String? = nil, recorderVersion: String? = nil, labels: [Label] = []) {
        self.runID = runID
        self.host = host
        self.recorderVersion = recorderVersion
        self.labels = labels
    }
}

/// A named annotation: a thought, a final report, setup start/end, anything.
public struct Mark: Sendable, Equatable {
    /// What the mark marks (`thought`, `final_report`, `setup_start`, …).
    public var name: String?
    /// The query it belongs to, if any.
    public var queryID: String?
    /// The span it belongs to, if any.
    public var spanID: String?
    /// Free text.
    public var text: String?

    /// Creates a mark.
    public init(name: String? = nil, queryID: String? = nil, spanID: String? = nil, text: String? = nil) {
        self.name = name
        self.queryID = queryID
        self.spanID = spanID
        self.text = text
    }
}
