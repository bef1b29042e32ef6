import Testing
import TraceInterchange
import TraceLog

@Suite("Errors: every failure names a reason and a byte column")
struct ErrorTests {
    /// A malformed line and the exact message it must give.
    static let cases: [(line: String, message: String)] = [
        // Structure.
        (#"[1]"#, "column 1: expected '{' (each line must be one JSON object), got '['"),
        (#"{"type":"mark""#, "column 15: expected ',' or '}', got end of line"),
        (#"{"type":"mark" "name":"x"}"#, "column 16: expected ',' or '}', got '\"'"),
        (#"{"type":"mark",}"#, "column 16: expected a member name in quotes, got '}'"),
        (#"{"type" "mark"}"#, "column 9: expected ':', got '\"'"),
        (#"{"type":}"#, "column 9: expected a value, got '}'"),
        (#"{"type":"mark"} x"#, "column 17: expected end of line after the object, got 'x'"),
        (#"{"type":"mark"}{}"#, "column 16: expected end of line after the object, got '{'"),
        (#"{"type":"mark","x":[1 2]}"#, "column 23: expected ',' or ']', got '2'"),
        (#"{"type":"mark","x":{"a" 1}}"#, "column 25: expected ':', got '1'"),
        (#"{"type":"mark","x":{"a":1"#, "column 26: expected ',' or '}', got end of line"),
        (#"{"type":"mark","x":tru}"#, "column 20: expected a value (true, false, null, a number, a string, an object or an array)"),
        (#"{"type":"mark","x":nul}"#, "column 20: expected a value (true, false, null, a number, a string, an object or an array)"),
        (#"{"type":"mark","x":'a'}"#, "column 20: expected a value, got '''"),
        // Numbers.
        (#"{"type":"mark","x":01}"#, "column 20: invalid number: leading zero"),
        (#"{"type":"mark","x":-}"#, "column 21: invalid number: expected a digit"),
        (#"{"type":"mark","x":1.}"#, "column 22: invalid number: expected a digit after '.'"),
        (#"{"type":"mark","x":1e}"#, "column 22: invalid number: expected a digit in the exponent"),
        (#"{"type":"mark","x":+1}"#, "column 20: expected a value, got '+'"),
        (#"{"type":"mark","x":.5}"#, "column 20: expected a value, got '.'"),
        // Strings.
        (#"{"type":"mark","x":"abc}"#, "column 25: unterminated string (it starts at column 20)"),
        ("{\"type\":\"mark\",\"x\":\"a\tb\"}", "column 22: control character 0x9 in a string (it must be escaped)"),
        (#"{"type":"mark","x":"\q"}"#, "column 21: invalid escape: \\q"),
        (#"{"type":"mark","x":"\u12"}"#, "column 25: invalid escape: \\u needs four hex digits"),
        (#"{"type":"mark","x":"\u12G4"}"#, "column 25: invalid escape: \\u needs four hex digits"),
        (#"{"type":"mark","x":"\uD83D"}"#, "column 21: invalid escape: high surrogate \\uD83D not followed by a low surrogate"),
        (#"{"type":"mark","x":"\uD83D\u0041"}"#, "column 21: invalid escape: high surrogate \\uD83D not followed by a low surrogate"),
        (#"{"type":"mark","x":"\uDE00"}"#, "column 21: invalid escape: lone low surrogate \\uDE00"),
        // Type.
        (#"{"name":"x"}"#, "column 1: missing \"type\""),
        (#"{"type":null}"#, "column 1: missing \"type\""),
        (#"{"type":3}"#, "column 9: field \"type\": expected a string, got 3"),
        (#"{"type":["mark"]}"#, "column 9: field \"type\": expected a string, got an array"),
        (#"{"type":"thought","t":1}"#, "column 9: unknown type \"thought\""),
        (#"{"type":"string"}"#, "column 9: unknown type \"string\""),
        // Fields.
        (#"{"type":"inference_end","prompt_tokens":8.5}"#,
         "column 41: field \"prompt_tokens\": expected an integer, got 8.5"),
        (#"{"type":"mark","t":1e300}"#, "column 20: field \"t\": 1e300 seconds is out of range for 64-bit nanoseconds"),
    ]

    @Test("malformed lines give exact messages", arguments: cases)
    func messages(line: String, message: String) throws {
        let error = try #require(decodingError(line))
        #expect(error.description == message)
        #expect(error.description == "column \(error.column): \(error.message)")
    }

    @Test("unknown type is a distinct reason carrying the name")
    func unknownType() throws {
        let error = try #require(decodingError(#"{"t":1,"type":"future_kind","x":1}"#))
        #expect(error.reason == .unknownType("future_kind"))
        #expect(error.column == 15)
        // A megabyte of type name is not echoed whole.
        let long = String(repeating: "k", count: 1 << 20)
        let longError = try #require(decodingError(#"{"t":1,"type":"\#(long)"}"#))
        #expect(longError.message == "unknown type \"\(String(repeating: "k", count: 48))…\" (1048576 bytes)")
    }

    @Test("invalid UTF-8 in strings, in known and unknown members, is an error")
    func invalidUTF8() throws {
        let prefix = Array(#"{"type":"mark","x":"a"#.utf8)
        let badSequences: [[UInt8]] = [
            [0x80], [0xC0, 0x80], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82],
        ]
        var decoder = InterchangeDecoder()
        for bad in badSequences {
            let line = prefix + bad + Array(#"b"}"#.utf8)
            do {
                _ = try decoder.decode(line)
                Issue.record("decoded invalid UTF-8 \(bad)")
            } catch {
                #expect(error.reason == .invalidUTF8)
                #expect(error.column == prefix.count + 1)
                #expect(error.description == "column \(prefix.count + 1): invalid UTF-8 in a string")
            }
        }
        // Valid multi-byte sequences at the edges of each range pass.
        let good: [[UInt8]] = [[0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF0, 0x90, 0x80, 0x80],
                               [0xF4, 0x8F, 0xBF, 0xBF]]
        for sequence in good {
            #expect(try decoder.decode(prefix + sequence + Array(#"b"}"#.utf8)) != nil)
        }
    }

    @Test("nesting beyond the limit is an error, not a crash")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000)
        let error = try #require(decodingError(#"{"type":"mark","x":"# + deep))
        #expect(error.reason == .nestingTooDeep)
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try decodeLine(#"{"type":"mark","x":\#(fine)}"#).payload == .mark(Mark()))
    }
}
