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
    /// samples), in record order.
    var events: [TraceEvent] = []

    /// The end's status, when it has one.
    var endStatus: String? {
        if case .queryEnd(let e)? = end?.payload { return e.status }
        return nil
    }

    /// The timestamp closing the window: the end's, or for a query that never
    /// ended the latest timestamp among its start and attributed events.
    var endTimestamp: Int64 {
        if let end { return end.timestamp }
        return events.reduce(start.timestamp) { max($0, $1.timestamp) }
    }
}

/// Splits a run into query windows.
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
        var windows: [QueryWindow] = []
        var outside: [TraceEvent] = []
        var diagnostics: [AnalysisDiagnostic] = []
        // Indices into `windows` of the open queries, in start order.
        var open: [Int] = []

        func warn(_ event: TraceEvent, _ queryID: String?, _ message: String) {
            diagnostics.append(AnalysisDiagnostic(
                runID: run.runID, queryID: queryID, sequence: event.sequence, message: message))
        }
        func openIndex(of queryID: String) -> Int? {
            open.last { windows[$0].queryID == queryID }
        }

        for event in run.events {
            switch event.payload {
            case .runStart, .sample:
                continue
            case .queryStart(let start):
                guard let id = start.queryID else {
                    warn(event, nil, "query start without a query id (ignored)")
                    continue
                }
                if openIndex(of: id) != nil {
                    warn(event, id, "query start for a query that is already open (ignored)")
                    continue
                }
                windows.append(QueryWindow(queryID: id, start: event))
                open.append(windows.count - 1)
            case .queryEnd(let end):
                let index = end.queryID.map(openIndex(of:)) ?? open.last
                guard let index else {
                    warn(event, end.queryID, "end of unknown query (ignored)")
                    continue
                }
                windows[index].end = event
                open.removeAll { $0 == index }
            default:
                if let id = event.payload.queryID {
                    guard let index = openIndex(of: id) else {
                        warn(event, id, "\(event.payload.kind.interchangeName) for a query that is not open (ignored)")
                        outside.append(event)
                        continue
                    }
                    windows[index].events.append(event)
                } else if let index = open.last {
                    windows[index].events.append(event)
                } else {
                    outside.append(event)
                }
            }
        }
        for index in open {
            warn(windows[index].start, windows[index].queryID,
                 "query without an end (counted as not completed, window closed at its last event)")
        }
        return (windows, outside, diagnostics)
    }
}
