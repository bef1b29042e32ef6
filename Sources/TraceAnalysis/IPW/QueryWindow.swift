import TraceLog

/// One query's slice of a run: its start and end, and the events attributed
/// to it, in record order.
struct QueryWindow {
    /// The query's identifier.
    var queryID: String
    /// The query start event.
    var start: TraceEvent
    /// The query end event, when one was recorded.
    var end: TraceEvent?
    /// The events attributed to the query (not its start and end, not
    /// samples), in record order; empty when the splitter does not keep
    /// them (``QueryWindowSplitter/keepsEvents``).
    var events: [TraceEvent] = []
    /// The latest timestamp among the start and the attributed events.
    var latest: Int64

    init(queryID: String, start: TraceEvent) {
        self.queryID = queryID
        self.start = start
        latest = start.timestamp
    }

    /// The end's status, when it has one.
    var endStatus: String? {
        if case .queryEnd(let e)? = end?.payload { return e.status }
        return nil
    }

    /// The timestamp closing the window: the end's, or for a query that never
    /// ended the latest timestamp among its start and attributed events.
    var endTimestamp: Int64 {
        end?.timestamp ?? latest
    }
}

/// Splits a run into query windows, one event at a time: the one place
/// where events are given to queries.
///
/// Rules (record order):
/// - A query start opens a query; its query end (same id) closes it. A query
///   end without an id closes the most recently started open query.
/// - An event naming a query belongs to it while it is open; an event naming
///   no query belongs to the most recently started open query, if any.
/// - Samples belong to no query here; they are selected by time.
/// - Ends of unknown queries, starts without an id, repeated starts of an
///   open query and events naming a query that is not open are reported and
///   otherwise ignored; a query never ended is reported.
///
/// Only the open queries' events are held: a window is handed over as
/// soon as its end arrives.
struct QueryWindowSplitter {
    /// What taking an event did.
    enum Outcome {
        /// Nothing to hand over.
        case none
        /// The event belongs to no window (not samples, run starts, query
        /// starts or ends).
        case outside(TraceEvent)
        /// The event opened a window (the last open one).
        case opened
        /// The event belongs to the open window at `position` (in start
        /// order among the open ones).
        case joined(position: Int)
        /// The event closed the window that was the `index`-th to start,
        /// the one at `position` among the open ones.
        case closed(index: Int, position: Int, window: QueryWindow)
    }

    let runID: String
    /// Whether each window keeps its events (``QueryWindow/events``); a
    /// caller that takes them as they come (``Outcome/joined(position:)``)
    /// need not.
    var keepsEvents = true
    /// The open windows in start order, each with its position among all
    /// the windows started.
    private var open: [(index: Int, window: QueryWindow)] = []
    /// How many windows were started.
    private(set) var started = 0
    /// The id of the window opened last (after ``Outcome/opened``).
    var lastOpenedID: String { open[open.count - 1].window.queryID }
    /// The problems met, in the order met.
    private(set) var diagnostics: [AnalysisDiagnostic] = []

    init(runID: String) {
        self.runID = runID
    }

    private mutating func warn(_ event: TraceEvent, _ queryID: String?, _ message: String) {
        diagnostics.append(AnalysisDiagnostic(runID: runID, queryID: queryID, sequence: event.sequence, message: message))
    }

    private func openPosition(of queryID: String) -> Int? {
        open.lastIndex { $0.window.queryID == queryID }
    }

    /// Takes the run's next event in record order.
    mutating func add(_ event: TraceEvent) -> Outcome {
        switch event.payload {
        case .runStart, .sample:
            return .none
        case .queryStart(let start):
            guard let id = start.queryID else {
                warn(event, nil, "query start without a query id (ignored)")
                return .none
            }
            if openPosition(of: id) != nil {
                warn(event, id, "query start for a query that is already open (ignored)")
                return .none
            }
            open.append((started, QueryWindow(queryID: id, start: event)))
            started += 1
            return .opened
        case .queryEnd(let end):
            guard let position = end.queryID.map(openPosition(of:)) ?? (open.isEmpty ? nil : open.count - 1) else {
                warn(event, end.queryID, "end of unknown query (ignored)")
                return .none
            }
            var (index, window) = open.remove(at: position)
            window.end = event
            return .closed(index: index, position: position, window: window)
        default:
            let position: Int
            if let id = event.payload.queryID {
                guard let found = openPosition(of: id) else {
                    warn(event, id, "\(event.payload.kind.interchangeName) for a query that is not open (ignored)")
                    return .outside(event)
                }
                position = found
            } else if !open.isEmpty {
                position = open.count - 1
            } else {
                return .outside(event)
            }
            if keepsEvents { open[position].window.events.append(event) }
            open[position].window.latest = max(open[position].window.latest, event.timestamp)
            return .joined(position: position)
        }
    }

    /// The windows still open, in start order (each reported as a query
    /// without an end); none are open after.
    mutating func finish() -> [(index: Int, window: QueryWindow)] {
        for (_, window) in open {
            warn(window.start, window.queryID,
                 "query without an end (counted as not completed, window closed at its last event)")
        }
        defer { open = [] }
        return open
    }
}

/// Splits a whole run into query windows (``QueryWindowSplitter``).
enum QuerySplitter {
    /// The windows in start order, and the problems met.
    static func split(_ run: RunEvents) -> (windows: [QueryWindow], diagnostics: [AnalysisDiagnostic]) {
        let split = splitKeepingOutside(run)
        return (split.windows, split.diagnostics)
    }

    /// The windows in start order, the events (not samples, run starts,
    /// query starts or ends) that belong to no window, in record order, and
    /// the problems met.
    static func splitKeepingOutside(
        _ run: RunEvents
    ) -> (windows: [QueryWindow], outside: [TraceEvent], diagnostics: [AnalysisDiagnostic]) {
        var splitter = QueryWindowSplitter(runID: run.runID)
        var closed: [(index: Int, window: QueryWindow)] = []
        var outside: [TraceEvent] = []
        for event in run.events {
            switch splitter.add(event) {
            case .none, .opened, .joined: continue
            case .outside(let event): outside.append(event)
            case .closed(let index, _, let window): closed.append((index, window))
            }
        }
        closed += splitter.finish()
        let windows = closed.sorted { $0.index < $1.index }.map(\.window)
        return (windows, outside, splitter.diagnostics)
    }
}
