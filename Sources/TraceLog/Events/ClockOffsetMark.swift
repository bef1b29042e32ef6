/// A measured clock offset between this recorder's host and another
/// host's recorder of the same run: the `clock_offset` mark that
/// `trace-record --clock-peer` writes after its handshake with a
/// `trace-record --otlp-listen` on the other host (docs/FORMAT.md, "Clock
/// handshake").
///
/// Its text is `key=value` words in this order:
/// `host=H offset_ns=N round_trip_ns=R exchanges=K peer=URL`; `host` is the
/// other host's name as its recorder gave it (`-` when it gave none).
public struct ClockOffsetMark: Sendable, Equatable {
    /// The mark's name.
    public static let name = "clock_offset"

    /// The other host's name, as its recorder answered it.
    public var host: String?
    /// What to add to the other host's timestamps to put them on this
    /// host's clock, nanoseconds: this clock's reading halfway through the
    /// exchange minus the other host's answer.
    public var offsetNanoseconds: Int64
    /// The round trip of the exchange the offset comes from (the shortest
    /// of them), nanoseconds: the offset is within half of it.
    public var roundTripNanoseconds: Int64
    /// How many exchanges were made.
    public var exchanges: Int
    /// The other host's endpoint, as given.
    public var peer: String

    /// Creates a measurement.
    public init(host: String?, offsetNanoseconds: Int64, roundTripNanoseconds: Int64, exchanges: Int, peer: String) {
        self.host = host
        self.offsetNanoseconds = offsetNanoseconds
        self.roundTripNanoseconds = roundTripNanoseconds
        self.exchanges = exchanges
        self.peer = peer
    }

    /// The mark's text.
    public var text: String {
        "host=\(Self.word(host ?? "-")) offset_ns=\(offsetNanoseconds) round_trip_ns=\(roundTripNanoseconds) "
            + "exchanges=\(exchanges) peer=\(Self.word(peer))"
    }

    /// The mark recording it.
    public var mark: Mark { Mark(name: Self.name, text: text) }

    /// Reads a `clock_offset` mark's text; nil when it is not of that form,
    /// the round trip is negative, or the offset is beyond a day.
    public init?(text: String) {
        var fields: [Substring: Substring] = [:]
        for word in text.split(separator: " ") {
            guard let equals = word.firstIndex(of: "=") else { return nil }
            fields[word[..<equals]] = word[word.index(after: equals)...]
        }
        guard let host = fields["host"], let offset = fields["offset_ns"].flatMap({ Int64($0) }),
              let roundTrip = fields["round_trip_ns"].flatMap({ Int64($0) }),
              let exchanges = fields["exchanges"].flatMap({ Int($0) }), let peer = fields["peer"],
              roundTrip >= 0, exchanges > 0, offset.magnitude <= 86_400_000_000_000
        else { return nil }
        self.init(host: host == "-" ? nil : String(host), offsetNanoseconds: offset, roundTripNanoseconds: roundTrip,
                  exchanges: exchanges, peer: String(peer))
    }

    /// The mark of a payload, when it is a well-formed `clock_offset` mark.
    public init?(_ payload: EventPayload) {
        guard case .mark(let mark) = payload, mark.name == Self.name, let text = mark.text else { return nil }
        self.init(text: text)
    }

    /// A value as one word: spaces and `=` cannot occur in host names or
    /// URLs given on a command line, and are replaced by `_` if they do.
    private static func word(_ value: String) -> String {
        String(value.map { $0 == " " || $0 == "=" || $0.isNewline ? "_" : $0 })
    }
}
