import Testing
import TraceInterchange
import TraceLog

/// The word-at-a-time scanning and the number fast paths give what the
/// general paths give, wherever in the line a value falls (with eight or
/// more bytes left, and with fewer).
@Suite("Fast paths: word-at-a-time scanning and plain numbers")
struct FastPathTests {
    /// Padding after the object: none puts the last value within a word of
    /// the line's end; a long one keeps every value clear of it.
    static let paddings = ["", " ", String(repeating: " ", count: 30)]

    func sample(_ members: String, padding: String) throws -> TelemetrySample {
        let line = try decodeLine(#"{"type":"sample","t":1,"# + members + "}" + padding)
        guard case .sample(let event) = line.payload else {
            Issue.record("not a sample: \(line.payload)")
            return TelemetrySample()
        }
        return event
    }

    @Test("doubles match the standard library's correctly rounded parse")
    func doubles() throws {
        let texts = [
            "0", "-0", "0.0", "3.0", "60.86", "183402.5", "262100.965354", "262143.32885", "1234567.8",
            "12345678", "123456789", "0.1", "0.30000000000000004", "9007199254740992", "9007199254740993",
            "1234567890123456789", "12345678901234567890", "0.000000000000000000000001", "1.5e3", "-2.5E-3",
            "17179869184", "98765432.12345678", "-0.000123",
        ]
        for padding in Self.paddings {
            for text in texts {
                let value = try sample(#""gpu_power_w":\#(text)"#, padding: padding).gpuPowerWatts
                #expect(value?.bitPattern == Double(text)?.bitPattern, "\(text) with padding \(padding.count)")
            }
        }
    }

    @Test("seconds and integers from plain digits")
    func secondsAndIntegers() throws {
        let cases: [(String, Int64)] = [
            ("1795305599.993772111", 1_795_305_599_993_772_111), ("1795305600.0", 1_795_305_600_000_000_000),
            ("1732238400.125", 1_732_238_400_125_000_000), ("-0.5", -500_000_000), ("0", 0),
            ("9223372036.854775807", 9_223_372_036_854_775_807), ("9.223372036854775807", 9_223_372_037), ("1.0000000005", 1_000_000_000),
            ("1.0000000015", 1_000_000_002),
        ]
        for padding in Self.paddings {
            for (text, nanoseconds) in cases {
                let line = try decodeLine(#"{"type":"mark","t":\#(text)}"# + padding)
                #expect(line.timestamp == nanoseconds, "\(text) with padding \(padding.count)")
            }
            let integers: [(String, Int64)] = [
                ("812", 812), ("-3", -3), ("9223372036854775807", .max), ("-9223372036854775808", .min),
                ("12345678", 12_345_678), ("812.0", 812),
            ]
            for (text, value) in integers {
                let line = try decodeLine(#"{"type":"tool_end","t":1,"output_bytes":\#(text)}"# + padding)
                guard case .toolEnd(let event) = line.payload else { continue }
                #expect(event.outputBytes == value, "\(text) with padding \(padding.count)")
            }
        }
    }

    @Test("keys and strings: escapes, non-ASCII and control bytes anywhere in a word")
    func keysAndStrings() throws {
        for padding in Self.paddings {
            // An escaped key names the same field.
            #expect(try sample(#""gpu\u005Fpower_w":2.5"#, padding: padding).gpuPowerWatts == 2.5)
            // A long unknown key is ignored; a key that only starts like a field is not it.
            #expect(try sample(#""an_unknown_member_name_longer_than_a_field":1,"gpu_power_w":1"#, padding: padding)
                .gpuPowerWatts == 1)
            #expect(try sample(#""gpu_power_wx":1"#, padding: padding).gpuPowerWatts == nil)
            for source in ["gpu0", "cpu-package-0", "g\u{e9}p\u{fc}", "a-name-of-exactly-24-byte", "x\\\"y", "tab\\tin"] {
                let decoded = try sample(#""source":"\#(source)""#, padding: padding).source
                let expected = source.replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\t", with: "\t")
                #expect(decoded == expected, "\(source) with padding \(padding.count)")
            }
            // A control byte is still an error where the word scan meets it.
            let error = decodingError(#"{"type":"sample","source":"abc"# + "\u{01}" + #"def"}"# + padding)
            #expect(error?.description.contains("control character 0x1") == true)
        }
    }

    @Test("repeated strings come back equal when reused")
    func recentStrings() throws {
        var decoder = InterchangeDecoder()
        for index in 0..<40 {
            let source = "source-\(index % 20)"
            let line = try #require(try decoder.decode(#"{"type":"sample","t":1,"source":"\#(source)"}"#))
            guard case .sample(let event) = line.payload else { continue }
            #expect(event.source == source)
        }
    }
}
