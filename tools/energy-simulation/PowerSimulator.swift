import TraceLog

/// A simulated agent run with known ground truth: the GPU's power is a known
/// piecewise-constant function of time, its energy counter is the exact
/// integral, and the telemetry samples it at jittered instants.
///
/// Power model: an idle floor, plus for each running query the power of its
/// current phase (prefill, decode, tool, or in-between). Queries run one after
/// another or, with ``Scenario/overlapping``, several at once.
public struct PowerSimulator: Sendable {
    /// How queries are laid out in time.
    public enum Scenario: String, Sendable, CaseIterable {
        /// One query after another, with idle gaps.
        case sequential
        /// Three streams of queries running concurrently.
        case overlapping
    }

    /// What the simulation is asked to produce.
    public struct Configuration: Sendable {
        /// The seed of every random choice.
        public var seed: UInt64
        /// Sampling rate, hertz.
        public var samplingHz: Double
        /// Sampling jitter, as a fraction of the period (uniform ±).
        public var jitter: Double
        /// Relative noise of power readings (uniform ±).
        public var powerNoise: Double
        /// How many queries.
        public var queries: Int
        /// The layout.
        public var scenario: Scenario
        /// What the GPU's sensor reports.
        public var sensor: Sensor
        /// Whether the run start declares the sensor's power kind
        /// (`gpu0.power=average`), as the NVML source does.
        public var declaresPower: Bool
        /// Whether the run start declares the counter's nominal update
        /// period (`gpu0.energy_update_ms`), as the NVML source does after
        /// measuring it.
        public var declaresUpdatePeriod: Bool
        /// Whether inference ends record the time to first token (the
        /// prefill's length), as streaming clients do.
        public var recordsFirstToken: Bool

        /// Creates a configuration.
        public init(seed: UInt64, samplingHz: Double, jitter: Double = 0.2, powerNoise: Double = 0.02,
                    queries: Int = 20, scenario: Scenario = .sequential, sensor: Sensor = .ideal,
                    declaresPower: Bool = true, declaresUpdatePeriod: Bool = true, recordsFirstToken: Bool = true) {
            self.seed = seed
            self.samplingHz = samplingHz
            self.jitter = jitter
            self.powerNoise = powerNoise
            self.queries = queries
            self.scenario = scenario
            self.sensor = sensor
            self.declaresPower = declaresPower
            self.declaresUpdatePeriod = declaresUpdatePeriod
            self.recordsFirstToken = recordsFirstToken
        }
    }

    /// What the simulated GPU sensor reports at a sample instant.
    public enum Sensor: Sendable, Hashable {
        /// The exact counter at the instant and the instantaneous power.
        case ideal
        /// A counter the driver updates every `updateMilliseconds` (each
        /// interval ± `updateJitter` of it, uniform), read in whole
        /// millijoules, and power averaged over the trailing
        /// `averageSeconds`: what NVML gives on recent parts.
        case nvml(updateMilliseconds: Double, updateJitter: Double, averageSeconds: Double)
        /// The same counter, with instantaneous power (the power-instant
        /// field of newer drivers).
        case nvmlInstant(updateMilliseconds: Double, updateJitter: Double)

        /// 100 ms updates ± 10 %, millijoules, 1 s averaged power.
        public static let nvmlTypical = Sensor.nvml(updateMilliseconds: 100, updateJitter: 0.1, averageSeconds: 1)
        /// 100 ms updates ± 10 %, millijoules, instant power.
        public static let nvmlInstantTypical = Sensor.nvmlInstant(updateMilliseconds: 100, updateJitter: 0.1)

        /// A short name for tables.
        public var name: String {
            switch self {
            case .ideal: return "ideal"
            case .nvml(let ms, let jitter, let average):
                return "nvml \(Int(ms)) ms ±\(Int((jitter * 100).rounded()))%, \(average == average.rounded() ? String(Int(average)) : String(average)) s avg"
            case .nvmlInstant(let ms, let jitter):
                return "nvml \(Int(ms)) ms ±\(Int((jitter * 100).rounded()))%, instant"
            }
        }
    }

    /// The true energy of one turn (the window from its inference's start to
    /// the next inference's start or the query's end), shared equally with
    /// the queries running at the same instant.
    public struct TurnTruth: Sendable, Hashable {
        /// The query.
        public var queryID: String
        /// The turn's index in the query.
        public var turnIndex: Int
        /// The window's length, seconds.
        public var seconds: Double
        /// The true energy, joules.
        public var joules: Double
    }

    /// The true energy of one inference span (its start to its end),
    /// shared equally with the queries running at the same instant.
    public struct SpanTruth: Sendable, Hashable {
        /// The query.
        public var queryID: String
        /// The span's id.
        public var spanID: String
        /// The inference's index in the query (its turn's index).
        public var turnIndex: Int
        /// The span's length, seconds.
        public var seconds: Double
        /// The true energy, joules.
        public var joules: Double
    }

    /// A simulated run.
    public struct Run: Sendable {
        /// The events, in record order.
        public var events: [TraceEvent]
        /// The true energy of every turn, in query then turn order.
        public var truth: [TurnTruth]
        /// The true energy of every inference span, in query then turn order.
        public var spanTruth: [SpanTruth] = []
    }

    /// Watts above idle in each phase.
    static let idleWatts = 70.0
    static let prefillWatts = 260.0
    static let decodeWatts = 170.0
    static let toolWatts = 15.0

    private struct Phase {
        var start: Double
        var end: Double
        var watts: Double
    }

    private struct SimTurn {
        var start: Double
        var end: Double
    }

    private struct SimQuery {
        var id: String
        var start: Double
        var end: Double
        var turns: [SimTurn]
        var inferences: [(id: String, start: Double, end: Double)]
        var phases: [Phase]
        var events: [(Double, EventPayload)]
    }

    /// The Unix time the simulated run starts at, nanoseconds.
    public static let epoch: Int64 = 1_700_000_000_000_000_000

    /// `q0007` for 7.
    static func queryID(_ index: Int) -> String {
        let digits = String(index)
        return "q" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates a simulator.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Simulates one query starting at `start`.
    private static func query(_ id: String, start: Double, recordsFirstToken: Bool, random: inout SplitMix) -> SimQuery {
        var events: [(Double, EventPayload)] = [(start, .queryStart(QueryStart(queryID: id, workloadType: "agentic")))]
        var phases: [Phase] = []
        var turns: [SimTurn] = []
        var inferences: [(id: String, start: Double, end: Double)] = []
        var t = start + random.uniform(0.02...0.6)
        let turnCount = Int(random.uniform(1...5.999))
        for k in 0..<turnCount {
            let long = random.uniform(0...1) < 0.4
            let span = "\(id)-c\(k)"
            let prefill = random.uniform(0.03...0.3)
            let decode = long ? random.uniform(2...12) : random.uniform(0.05...0.8)
            events.append((t, .inferenceStart(InferenceStart(spanID: span, queryID: id, model: "sim"))))
            phases.append(Phase(start: t, end: t + prefill, watts: prefillWatts))
            phases.append(Phase(start: t + prefill, end: t + prefill + decode, watts: decodeWatts))
            let turnStart = t
            inferences.append((span, t, t + prefill + decode))
            t += prefill + decode
            events.append((t, .inferenceEnd(InferenceEnd(spanID: span, queryID: id, promptTokens: 800,
                                                         completionTokens: Int64(decode * 50),
                                                         timeToFirstTokenSeconds: recordsFirstToken ? prefill : nil))))
            if k + 1 < turnCount {
                let calls = Int(random.uniform(1...2.999))
                for c in 0..<calls {
                    t += random.uniform(0.005...0.08)
                    let length = random.uniform(0...1) < 0.5 ? random.uniform(0.05...0.6) : random.uniform(0.6...4)
                    let tool = "\(id)-t\(k)-\(c)"
                    events.append((t, .toolStart(ToolStart(spanID: tool, queryID: id, tool: "search", parentSpanID: span))))
                    phases.append(Phase(start: t, end: t + length, watts: toolWatts))
                    t += length
                    events.append((t, .toolEnd(ToolEnd(spanID: tool, queryID: id, tool: "search", ok: true))))
                }
                t += random.uniform(0.005...0.1)
            } else {
                t += random.uniform(0.005...0.05)
            }
            turns.append(SimTurn(start: turnStart, end: t))
        }
        // Turn k ends where turn k+1 starts; the last at the query's end.
        for k in 0..<(turns.count - 1) { turns[k].end = turns[k + 1].start }
        events.append((t, .queryEnd(QueryEnd(queryID: id, status: "completed"))))
        return SimQuery(id: id, start: start, end: t, turns: turns, inferences: inferences, phases: phases, events: events)
    }

    /// Runs the simulation.
    public func run() -> Run {
        var random = SplitMix(seed: configuration.seed)
        let origin = 0.0
        var queries: [SimQuery] = []
        switch configuration.scenario {
        case .sequential:
            var t = origin + 1
            for q in 0..<configuration.queries {
                let query = Self.query(Self.queryID(q), start: t, recordsFirstToken: configuration.recordsFirstToken, random: &random)
                queries.append(query)
                t = query.end + random.uniform(0.1...1.5)
            }
        case .overlapping:
            var streams = [origin + 1, origin + 1.7, origin + 3.1]
            for q in 0..<configuration.queries {
                let stream = q % streams.count
                let query = Self.query(Self.queryID(q), start: streams[stream], recordsFirstToken: configuration.recordsFirstToken, random: &random)
                queries.append(query)
                streams[stream] = query.end + random.uniform(0.1...1.5)
            }
        }
        let end = (queries.map(\.end).max() ?? origin) + 2

        // The exact power as a piecewise-constant function: breakpoints and
        // the power on each piece.
        var points = [origin, end]
        for query in queries {
            points += [query.start, query.end]
            for phase in query.phases { points += [phase.start, phase.end] }
            for turn in query.turns { points += [turn.start, turn.end] }
        }
        points.sort()
        var grid: [Double] = []
        for p in points where grid.last != p { grid.append(p) }
        var pieceWatts: [Double] = []
        var truth: [[Double]] = queries.map { Array(repeating: 0, count: $0.turns.count) }
        var spanTruth: [[Double]] = queries.map { Array(repeating: 0, count: $0.inferences.count) }
        for j in 0..<(grid.count - 1) {
            let mid = 0.5 * (grid[j] + grid[j + 1])
            var watts = Self.idleWatts
            var active: [Int] = []
            for (q, query) in queries.enumerated() where query.start <= mid && mid < query.end {
                active.append(q)
                for phase in query.phases where phase.start <= mid && mid < phase.end { watts += phase.watts }
            }
            pieceWatts.append(watts)
            let joules = watts * (grid[j + 1] - grid[j])
            for q in active {
                if let k = queries[q].turns.firstIndex(where: { $0.start <= mid && mid < $0.end }) {
                    truth[q][k] += joules / Double(active.count)
                }
                if let k = queries[q].inferences.firstIndex(where: { $0.start <= mid && mid < $0.end }) {
                    spanTruth[q][k] += joules / Double(active.count)
                }
            }
        }
        var cumulative = [0.0]
        for j in 0..<pieceWatts.count { cumulative.append(cumulative[j] + pieceWatts[j] * (grid[j + 1] - grid[j])) }
        func energy(at t: Double) -> Double {
            var low = 0
            var high = grid.count - 1
            while high - low > 1 {
                let mid = (low + high) / 2
                if grid[mid] <= t { low = mid } else { high = mid }
            }
            return cumulative[low] + pieceWatts[min(low, pieceWatts.count - 1)] * (t - grid[low])
        }
        func power(at t: Double) -> Double {
            guard let index = grid.lastIndex(where: { $0 <= t }) else { return Self.idleWatts }
            return pieceWatts[min(index, pieceWatts.count - 1)]
        }

        var timed: [(Double, EventPayload)] = queries.flatMap(\.events)
        // The sensor's counter updates (NVML-like sensors only).
        var updates: [Double] = []
        var averageSeconds = 0.0
        var staircase: (ms: Double, jitter: Double)?
        switch configuration.sensor {
        case .ideal: break
        case .nvml(let ms, let jitter, let average):
            staircase = (ms, jitter)
            averageSeconds = average
        case .nvmlInstant(let ms, let jitter):
            staircase = (ms, jitter)
        }
        if let (ms, updateJitter) = staircase {
            let step = ms / 1000
            var u = origin - random.uniform(0...1) * step
            while u <= end + step {
                updates.append(u)
                u += step * (1 + random.uniform(-updateJitter...updateJitter))
            }
            var labels: [Label] = []
            if configuration.declaresPower { labels.append(Label("gpu0.power", averageSeconds > 0 ? "average" : "instant")) }
            if configuration.declaresUpdatePeriod { labels.append(Label("gpu0.energy_update_ms", String(ms))) }
            if !labels.isEmpty {
                timed.append((origin, .runStart(RunStart(runID: "sim-\(configuration.seed)", labels: labels))))
            }
        }
        /// The last update at or before t.
        func lastUpdate(_ t: Double) -> Double {
            var low = 0
            var high = updates.count
            while low < high {
                let mid = (low + high) / 2
                if updates[mid] <= t { low = mid + 1 } else { high = mid }
            }
            return low > 0 ? updates[low - 1] : t
        }
        let period = 1 / configuration.samplingHz
        var k = 0.0
        while true {
            let t = origin + k * period + random.uniform(-configuration.jitter...configuration.jitter) * period
            k += 1
            if t < origin { continue }
            if t > end { break }
            let noise = 1 + random.uniform(-configuration.powerNoise...configuration.powerNoise)
            let sample: TelemetrySample
            switch configuration.sensor {
            case .ideal:
                sample = TelemetrySample(source: "gpu0", gpuEnergyJoules: 50_000 + energy(at: t), gpuPowerWatts: power(at: t) * noise)
            case .nvml:
                let millijoules = ((50_000 + energy(at: lastUpdate(t))) * 1000).rounded(.down)
                let averaged = (energy(at: t) - energy(at: t - averageSeconds)) / averageSeconds
                sample = TelemetrySample(source: "gpu0", gpuEnergyJoules: millijoules / 1000, gpuPowerWatts: averaged * noise)
            case .nvmlInstant:
                let millijoules = ((50_000 + energy(at: lastUpdate(t))) * 1000).rounded(.down)
                sample = TelemetrySample(source: "gpu0", gpuEnergyJoules: millijoules / 1000, gpuPowerWatts: power(at: t) * noise)
            }
            timed.append((t, .sample(sample)))
        }
        let ordered = timed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        let events = ordered.enumerated().map { index, entry in
            TraceEvent(runID: "sim-\(configuration.seed)", sequence: UInt64(index),
                       timestamp: Self.epoch + Int64((entry.element.0 * 1e9).rounded()), payload: entry.element.1)
        }
        var turnTruth: [TurnTruth] = []
        for (q, query) in queries.enumerated() {
            for (k, turn) in query.turns.enumerated() {
                turnTruth.append(TurnTruth(queryID: query.id, turnIndex: k, seconds: turn.end - turn.start, joules: truth[q][k]))
            }
        }
        var spans: [SpanTruth] = []
        for (q, query) in queries.enumerated() {
            for (k, span) in query.inferences.enumerated() {
                spans.append(SpanTruth(queryID: query.id, spanID: span.id, turnIndex: k, seconds: span.end - span.start,
                                       joules: spanTruth[q][k]))
            }
        }
        return Run(events: events, truth: turnTruth, spanTruth: spans)
    }
}
