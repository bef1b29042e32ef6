import Testing
import TraceInterchange
import TraceLog

@Suite("Timestamps: t converted exactly, t_ns, precedence")
struct TimestampTests {
    static let exactSeconds: [(String, Int64)] = [
        ("1732238400.125", 1_732_238_400_125_000_000),
        ("1732238400", 1_732_238_400_000_000_000),
        ("1732238400.0", 1_732_238_400_000_000_000),
        ("1.732238400125e9", 1_732_238_400_125_000_000),
        ("1.732238400125E+9", 1_732_238_400_125_000_000),
        ("1732238400125e-3", 1_732_238_400_125_000_000),
        ("17322384001250000000000e-13", 1_732_238_400_125_000_000),
        ("0.000000001", 1),
        ("1e-9", 1),
        ("0", 0),
        ("-0", 0),
        ("0e5", 0),
        ("0.0e-400", 0),
        ("-1.5", -1_500_000_000),
        ("-1732238400.125", -1_732_238_400_125_000_000),
        // A Double would lose these last digits.
        ("1732238400.123456789", 1_732_238_400_123_456_789),
        ("1732238400.999999999", 1_732_238_400_999_999_999),
        // Below a nanosecond: round half to even.
        ("1732238400.1234567894", 1_732_238_400_123_456_789),
        ("1732238400.1234567896", 1_732_238_400_123_456_790),
        ("1732238400.1234567885", 1_732_238_400_123_456_788),  // tie, 8 is even: down
        ("1732238400.1234567895", 1_732_238_400_123_456_790),  // tie, 9 is odd: up
        ("1732238400.12345678850000001", 1_732_238_400_123_456_789),  // above the tie: up
        ("1732238400.9999999995", 1_732_238_401_000_000_000),  // carries into the seconds
        ("-1732238400.1234567895", -1_732_238_400_123_456_790),  // symmetric for negatives
        ("0.0000000005", 0),  // tie at zero rounds to even 0
        ("0.0000000015", 2),
        ("0.00000000051", 1),
        ("1e-10", 0),
        ("4e-1000000000000", 0),
        // The edges of Int64 nanoseconds.
        ("9223372036.854775807", Int64.max),
        ("-9223372036.854775808", Int64.min),
        ("9223372036.8547758074", Int64.max),
        ("9.223372036854775807e9", Int64.max),
    ]

    @Test("t is converted exactly from its decimal text", arguments: exactSeconds)
    func exactConversion(text: String, nanoseconds: Int64) throws {
        let line = try decodeLine(#"{"type":"mark","t":\#(text)}"#)
        #expect(line.timestamp == nanoseconds)
    }

    static let outOfRange = [
        "9223372036.854775808", "-9223372036.854775809", "9223372036.8547758075", "1e10", "1e19",
        "-1e300", "123456789012345678901234567890", "1e1000000000000",
    ]

    @Test("t beyond 64-bit nanoseconds is an error", arguments: outOfRange)
    func overflow(text: String) throws {
        let error = try #require(decodingError(#"{"type":"mark","t":\#(text)}"#))
        guard case .invalidField(let field, let problem) = error.reason else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(field == "t")
        #expect(problem.contains("out of range"))
        #expect(error.column == 20)
    }

    @Test("t must be a number or null")
    func notANumber() throws {
        #expect(decodingError(#"{"type":"mark","t":"1732238400"}"#)?.description
            == #"column 20: field "t": expected a number of seconds, got "1732238400""#)
        #expect(try decodeLine(#"{"type":"mark","t":null}"#).timestamp == nil)
    }

    @Test("t_ns is integer nanoseconds; integral numbers are accepted")
    func nanoseconds() throws {
        #expect(try decodeLine(#"{"type":"mark","t_ns":1732238400125000001}"#).timestamp == 1_732_238_400_125_000_001)
        #expect(try decodeLine(#"{"type":"mark","t_ns":-5}"#).timestamp == -5)
        #expect(try decodeLine(#"{"type":"mark","t_ns":1.5e9}"#).timestamp == 1_500_000_000)
        #expect(try decodeLine(#"{"type":"mark","t_ns":9223372036854775807}"#).timestamp == Int64.max)
        #expect(try decodeLine(#"{"type":"mark","t_ns":-9223372036854775808}"#).timestamp == Int64.min)
        #expect(decodingError(#"{"type":"mark","t_ns":1.5}"#)?.description
            == #"column 23: field "t_ns": expected an integer, got 1.5"#)
        #expect(decodingError(#"{"type":"mark","t_ns":9223372036854775808}"#)?.reason
            == .invalidField(field: "t_ns", problem: "9223372036854775808 is out of the 64-bit integer range"))
    }

    @Test("t_ns wins over t, wherever each stands")
    func precedence() throws {
        #expect(try decodeLine(#"{"type":"mark","t":1.0,"t_ns":7}"#).timestamp == 7)
        #expect(try decodeLine(#"{"t_ns":7,"type":"mark","t":1.0}"#).timestamp == 7)
        #expect(try decodeLine(#"{"type":"mark","t":1.0,"t_ns":null}"#).timestamp == 1_000_000_000)
        #expect(try decodeLine(#"{"type":"mark"}"#).timestamp == nil)
    }

    @Test("t is printed as exact decimal seconds with at least one fractional digit")
    func printing() {
        let cases: [(Int64, String)] = [
            (1_732_238_400_125_000_000, "1732238400.125"),
            (1_732_238_400_000_000_000, "1732238400.0"),
            (1_732_238_400_000_000_001, "1732238400.000000001"),
            (0, "0.0"),
            (-1, "-0.000000001"),
            (-1_500_000_000, "-1.5"),
            (Int64.max, "9223372036.854775807"),
            (Int64.min, "-9223372036.854775808"),
        ]
        for (nanoseconds, text) in cases {
            let line = InterchangeEncoder().encode(timestamp: nanoseconds, payload: .mark(Mark()))
            #expect(line == #"{"type":"mark","t":\#(text)}"#)
        }
        let both = InterchangeEncoder(timeFields: .both).encode(timestamp: 1_500_000_000, payload: .mark(Mark()))
        #expect(both == #"{"type":"mark","t":1.5,"t_ns":1500000000}"#)
        let ns = InterchangeEncoder(timeFields: .nanoseconds).encode(timestamp: -3, payload: .mark(Mark()))
        #expect(ns == #"{"type":"mark","t_ns":-3}"#)
    }
}
