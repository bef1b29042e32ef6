import TraceAnalysis

/// The report's power-over-time chart as inline SVG: one line per energy
/// source and domain (average power per time bucket, from the cleaned
/// energy series, so the area under each line is the measured energy), with
/// query and turn bands behind the lines and inference and tool lanes below.
struct PowerChart {
    var timeline: RunTimeline
    /// One line per energy series: its name and mean power per bucket.
    var lines: [PowerLine]
    var width = 1280.0
    var plotHeight = 300.0
    /// Time buckets across the run.
    static let buckets = 640

    /// A chart of whole series.
    init(timeline: RunTimeline, series: [EnergySeries]) {
        self.timeline = timeline
        let (t0, t1) = Self.span(start: timeline.start, end: timeline.end)
        lines = series.map { s in
            var powers = BucketPowers(from: t0, to: t1, buckets: Self.buckets)
            for i in 0..<s.intervalJoules.count { powers.add(from: s.times[i], to: s.times[i + 1], joules: s.intervalJoules[i]) }
            return PowerLine(source: s.source, domain: s.domain, powers: powers.powers)
        }
    }

    /// A chart of lines already bucketed over ``span(_:)`` of the timeline.
    init(timeline: RunTimeline, lines: [PowerLine]) {
        self.timeline = timeline
        self.lines = lines
    }

    /// The time span the buckets cover, for a run from `start` to `end`.
    static func span(start: Int64, end: Int64) -> (Int64, Int64) {
        (start, max(end, start + 1))
    }

    static let colors = ["#c0392b", "#2471a3", "#1e8449", "#7d3c98", "#b9770e", "#17202a"]

    /// Above this many queries the turn tints are left out: at a pixel or
    /// less each they only blur the query bands.
    static let turnTintLimit = 100

    /// Whether the turn tints are drawn.
    var drawsTurns: Bool { timeline.queries.count <= Self.turnTintLimit }

    /// The SVG element.
    func svg() -> String { TextChunks.collecting(svg(into:)) }

    /// The SVG element, written piece by piece.
    func svg(into out: TextChunks) {
        let left = 64.0, right = 16.0, top = 28.0
        let laneHeight = 18.0, laneGap = 6.0
        let axisHeight = 34.0
        let lanesTop = top + plotHeight + axisHeight
        let height = lanesTop + 2 * (laneHeight + laneGap) + 24
        let plotWidth = width - left - right
        let t0 = timeline.start, t1 = max(timeline.end, timeline.start + 1)
        let span = Double(t1 - t0)
        func x(_ t: Int64) -> Double { left + plotWidth * Double(t - t0) / span }

        let powers = lines.map(\.powers)
        let maxPower = max(powers.flatMap { $0.compactMap { $0 } }.max() ?? 1, 1)
        let yMax = Self.niceCeiling(maxPower)
        func y(_ p: Double) -> Double { top + plotHeight * (1 - p / yMax) }

        out += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(HTMLText.coordinate(width)) \#(HTMLText.coordinate(height))" width="100%" role="img" aria-label="Power over time">"#
        out += "\n"
        // Query and turn bands.
        for (qi, query) in timeline.queries.enumerated() {
            let qx = x(query.start), qw = max(x(query.end) - qx, 0.5)
            out += #"<rect x="\#(c(qx))" y="\#(c(top))" width="\#(c(qw))" height="\#(c(plotHeight))" class="\#(qi % 2 == 0 ? "qa" : "qb")"><title>query \#(HTMLText.escape(query.queryID))</title></rect>"#
            for turn in query.turns where drawsTurns {
                let tx = x(turn.start), tw = max(x(turn.end) - tx, 0.5)
                out += #"<rect x="\#(c(tx))" y="\#(c(top))" width="\#(c(tw))" height="\#(c(plotHeight))" class="\#(turn.index % 2 == 0 ? "ta" : "tb")"><title>\#(HTMLText.escape(query.queryID)) turn \#(turn.index)</title></rect>"#
            }
            if qw > 28 {
                out += #"<text x="\#(c(qx + 3))" y="\#(c(top - 6))" class="ql">\#(HTMLText.escape(query.queryID))</text>"#
            }
            out += "\n"
        }
        // Axes and grid.
        for step in 0...4 {
            let p = yMax * Double(step) / 4
            out += #"<line x1="\#(c(left))" x2="\#(c(left + plotWidth))" y1="\#(c(y(p)))" y2="\#(c(y(p)))" class="grid"/>"#
            out += #"<text x="\#(c(left - 6))" y="\#(c(y(p) + 4))" class="yl">\#(HTMLText.fixed(p, 0))</text>"#
        }
        out += #"<text x="14" y="\#(c(top + plotHeight / 2))" class="axis" transform="rotate(-90 14 \#(c(top + plotHeight / 2)))">power (W)</text>"#
        let seconds = span / 1e9
        let tick = Self.niceStep(seconds / 10)
        var s = 0.0
        while s <= seconds + 1e-9 {
            let tx = left + plotWidth * s / seconds
            out += #"<line x1="\#(c(tx))" x2="\#(c(tx))" y1="\#(c(top + plotHeight))" y2="\#(c(top + plotHeight + 5))" class="axisline"/>"#
            out += #"<text x="\#(c(tx))" y="\#(c(top + plotHeight + 18))" class="xl">\#(HTMLText.fixed(s, tick < 1 ? 1 : 0)) s</text>"#
            s += tick
        }
        out += #"<line x1="\#(c(left))" x2="\#(c(left + plotWidth))" y1="\#(c(top + plotHeight))" y2="\#(c(top + plotHeight))" class="axisline"/>"#
        out += "\n"
        // Lines.
        let bucketWidth = plotWidth / Double(Self.buckets)
        for (i, values) in powers.enumerated() {
            var path = ""
            var drawing = false
            for (b, value) in values.enumerated() {
                guard let value else {
                    drawing = false
                    continue
                }
                path += (drawing ? " L" : " M") + c(left + bucketWidth * (Double(b) + 0.5)) + " " + c(y(value))
                drawing = true
            }
            out += #"<path d="\#(path.dropFirst())" fill="none" stroke="\#(Self.colors[i % Self.colors.count])" stroke-width="1.6"/>"#
            out += "\n"
        }
        // Legend.
        var lx = left + 8
        for (i, s) in lines.enumerated() {
            let label = HTMLText.escape("\(s.source) \(s.domain.rawValue)")
            out += #"<rect x="\#(c(lx))" y="\#(c(top + 8))" width="14" height="4" fill="\#(Self.colors[i % Self.colors.count])"/>"#
            out += #"<text x="\#(c(lx + 18))" y="\#(c(top + 13))" class="legend">\#(label)</text>"#
            lx += 30 + Double(label.count) * 7.5
        }
        // Lanes.
        let lanes: [(String, Double)] = [("inferences", lanesTop), ("tool calls", lanesTop + laneHeight + laneGap)]
        for (name, laneY) in lanes {
            out += #"<text x="\#(c(left - 6))" y="\#(c(laneY + 13))" class="yl">\#(name)</text>"#
            out += #"<rect x="\#(c(left))" y="\#(c(laneY))" width="\#(c(plotWidth))" height="\#(c(laneHeight))" class="lane"/>"#
        }
        for query in timeline.queries {
            for inference in query.inferences {
                let end = inference.end ?? query.end
                let ix = x(inference.start), iw = max(x(end) - ix, 0.8)
                let tip = "\(query.queryID) \(inference.effectiveModel ?? "inference") \(Self.seconds(end - inference.start)) s"
                out += #"<rect x="\#(c(ix))" y="\#(c(lanesTop + 2))" width="\#(c(iw))" height="\#(c(laneHeight - 4))" class="\#(inference.error == nil ? "inf" : "err")"><title>\#(HTMLText.escape(tip))</title></rect>"#
            }
            for tool in query.tools {
                let end = tool.end ?? query.end
                let tx = x(tool.start), tw = max(x(end) - tx, 0.8)
                let failed = tool.ok == false || tool.error != nil
                let tip = "\(query.queryID) \(tool.tool) \(Self.seconds(end - tool.start)) s" + (failed ? " (failed)" : "")
                out += #"<rect x="\#(c(tx))" y="\#(c(lanesTop + laneHeight + laneGap + 2))" width="\#(c(tw))" height="\#(c(laneHeight - 4))" class="\#(failed ? "err" : "tool")"><title>\#(HTMLText.escape(tip))</title></rect>"#
            }
            out += "\n"
        }
        out += "</svg>"
    }

    private func c(_ d: Double) -> String { HTMLText.coordinate(d) }

    static func seconds(_ ns: Int64) -> String { HTMLText.fixed(Double(ns) / 1e9, 3) }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let step = niceStep(value / 4)
        return (value / step).rounded(.up) * step
    }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func niceStep(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value { power /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where m * power >= value { return m * power }
        return 10 * power
    }
}

/// One line of the power chart: a series' name and its mean power per bucket.
struct PowerLine {
    var source: String
    var domain: EnergyDomain
    /// Watts per bucket, nil where the series has no coverage.
    var powers: [Double?]
}

/// Mean power in each of `buckets` equal buckets of `[t0, t1)`, from a
/// series' intervals given one at a time in time order (each interval's
/// energy spread evenly over it).
struct BucketPowers {
    private var joules: [Double]
    private var covered: [Int64]
    private let t0: Int64
    private let width: Double

    init(from t0: Int64, to t1: Int64, buckets: Int) {
        joules = Array(repeating: 0, count: buckets)
        covered = Array(repeating: 0, count: buckets)
        self.t0 = t0
        width = Double(t1 - t0) / Double(buckets)
    }

    /// Adds the interval `[a, b)` holding `energy` joules.
    mutating func add(from a: Int64, to b: Int64, joules energy: Double) {
        guard b > a else { return }
        let buckets = joules.count
        let length = Double(b - a)
        var first = Int(Double(a - t0) / width), last = Int(Double(b - t0) / width)
        first = min(max(first, 0), buckets - 1)
        last = min(max(last, 0), buckets - 1)
        for k in first...last {
            let lo = max(Double(a - t0), Double(k) * width), hi = min(Double(b - t0), Double(k + 1) * width)
            guard hi > lo else { continue }
            joules[k] += energy * (hi - lo) / length
            covered[k] += Int64(hi - lo)
        }
    }

    /// The mean power per bucket.
    var powers: [Double?] {
        joules.indices.map { k in covered[k] > 0 ? joules[k] / (Double(covered[k]) / 1e9) : nil }
    }
}
