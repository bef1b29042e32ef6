/// A shift of one telemetry source's timestamps onto the run's clock, for a
/// source recorded on another host (`trace-analyze --clock-offset
/// SOURCE=±MS`): `nanoseconds` is added to every timestamp of the source's
/// samples before the analysis.
public struct SourceClockOffset: Sendable, Hashable {
    /// The source's name, as the samples give it.
    public var source: String
    /// Added to the source's timestamps, nanoseconds.
    public var nanoseconds: Int64
    /// For an offset the logs measured (a clock handshake,
    /// ``ClockOffsetMark``), the round trip it was measured over,
    /// nanoseconds; nil for an offset given (`--clock-offset`).
    public var roundTripNanoseconds: Int64?

    /// Creates an offset; `roundTripNanoseconds` for one measured.
    public init(source: String, nanoseconds: Int64, roundTripNanoseconds: Int64? = nil) {
        self.source = source
        self.nanoseconds = nanoseconds
        self.roundTripNanoseconds = roundTripNanoseconds
    }

    /// Parses `SOURCE=±MS` (milliseconds, a decimal number with at most six
    /// fraction digits; the sign is optional for positive offsets); nil when
    /// it is not of that form or is beyond a day.
    public init?(argument: String) {
        guard let equals = argument.lastIndex(of: "=") else { return nil }
        let source = String(argument[..<equals])
        let text = argument[argument.index(after: equals)...]
        guard !source.isEmpty, !text.isEmpty else { return nil }
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let pieces = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty, pieces[0].count <= 8,
              pieces[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              pieces.count == 1 || (1...6).contains(pieces[1].count) && pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let whole = Int64(pieces[0])
        else { return nil }
        var nanoseconds = whole * 1_000_000
        if pieces.count == 2, let fraction = Int64(pieces[1]) {
            var scale: Int64 = 1_000_000
            for _ in 0..<pieces[1].count { scale /= 10 }
            nanoseconds += fraction * scale
        }
        guard nanoseconds <= 86_400_000_000_000 else { return nil }
        self.init(source: source, nanoseconds: negative ? -nanoseconds : nanoseconds)
    }
}
