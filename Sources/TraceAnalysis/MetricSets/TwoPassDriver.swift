import TraceLog

/// A run's analysis that reads its logs twice: every event once, then the
/// samples again (``DefaultRunStream``, ``IPWRunStream``).
protocol TwoPassRunStream: AnyObject {
    /// Whether the second pass can follow the first (checked after it).
    var followsTheLog: Bool { get }
    /// First pass: the run's next event that is not a sample.
    func survey(_ event: TraceEvent)
    /// First pass: the run's next sample, as its energy fields; `name`
    /// gives a source number's name.
    func survey(energy fields: EnergyFields, source: Int, name: (Int) -> String?, sequence: UInt64, timestamp: Int64)
    /// Between the passes.
    func beginSecondPass()
    /// Second pass: the run's next sample.
    func attribute(energy fields: EnergyFields, source: Int, name: (Int) -> String?, timestamp: Int64)
}

/// Drives one ``TwoPassRunStream`` per run over logs: the one place that
/// reads logs twice for an analysis.
enum TwoPassDriver {
    /// The streams of the runs in the logs at `paths`, in order of first
    /// appearance, both passes done (`prepare` is given each between them),
    /// and the first pass; nil when the logs cannot be streamed: an input
    /// that cannot be read twice (a pipe), a run's segments out of order or
    /// repeated, a stream that cannot follow its run, or a file that changed
    /// between the passes.
    /// `proceed`, given the streams after the first pass, says whether to
    /// go on (nil is returned when it says no).
    static func run<Stream: TwoPassRunStream>(
        _ paths: [String], make: (String) -> Stream, prepare: (Stream) -> Void = { _ in },
        proceed: ([Stream]) -> Bool = { _ in true }
    ) -> (streams: [Stream], pass: LogStream.Pass)? {
        guard LogStream.isRereadable(paths) else { return nil }
        var runs: [String: Stream] = [:]
        // The run of the segment being read (samples belong to their
        // segment's run).
        var current: Stream?
        // Sources are numbered across the logs, each name looked up once per
        // segment; samples are read as their energy fields only.
        var sourceNumbers: [String: Int] = [:]
        var sourceNames: [String?] = []
        var noSource: Int?
        func number(_ name: String?) -> Int {
            guard let name else {
                if let noSource { return noSource }
                noSource = sourceNames.count
                sourceNames.append(nil)
                return sourceNames.count - 1
            }
            if let known = sourceNumbers[name] { return known }
            sourceNumbers[name] = sourceNames.count
            sourceNames.append(name)
            return sourceNames.count - 1
        }
        let pass = LogStream.forEachEnergy(in: paths) { header in
            if let known = runs[header.runID] {
                current = known
            } else {
                let created = make(header.runID)
                runs[header.runID] = created
                current = created
            }
        } _: { event in
            current!.survey(event)
        } sourceID: { name in
            number(name)
        } visitEnergy: { sequence, timestamp, source, fields in
            current!.survey(energy: fields, source: source, name: { sourceNames[$0] }, sequence: sequence, timestamp: timestamp)
        }
        guard pass.segmentsInOrder, runs.values.allSatisfy(\.followsTheLog) else { return nil }
        // A run whose segments hold no events analyses as an empty run.
        let streams = pass.runs.map { id in runs[id] ?? make(id) }
        guard proceed(streams) else { return nil }
        for stream in streams {
            stream.beginSecondPass()
            prepare(stream)
        }
        current = nil
        // The second pass reads the bytes the first one read (a log still
        // being written may have grown since).
        let second = LogStream.forEachEnergy(in: pass.files, samplesOnly: true) { header in
            current = runs[header.runID]
        } _: { _ in
        } sourceID: { name in
            number(name)
        } visitEnergy: { _, timestamp, source, fields in
            current?.attribute(energy: fields, source: source, name: { sourceNames[$0] }, timestamp: timestamp)
        }
        guard pass.readTheSame(as: second) else { return nil }
        return (streams, pass)
    }
}

extension DefaultRunStream: TwoPassRunStream {
    var followsTheLog: Bool { isStreamable }
    func beginSecondPass() { beginAttribution() }
}

extension IPWRunStream: TwoPassRunStream {
    var followsTheLog: Bool { inRecordOrder }

    func survey(energy fields: EnergyFields, source: Int, name: (Int) -> String?, sequence: UInt64, timestamp: Int64) {
        surveySample(sequence: sequence, timestamp: timestamp, event: TraceEvent(
            runID: runID, sequence: sequence, timestamp: timestamp,
            payload: .sample(DefaultRunStream.sample(fields, source: name(source)))))
    }

    func beginSecondPass() { beginReadings() }

    func attribute(energy fields: EnergyFields, source: Int, name: (Int) -> String?, timestamp: Int64) {
        read(IPWReading(timestamp: timestamp, fields: fields))
    }
}
