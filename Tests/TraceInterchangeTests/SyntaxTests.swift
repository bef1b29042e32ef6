import Testing
import TraceInterchange
import TraceLog

@Suite("JSON syntax: unknown members, whitespace, escapes, blank lines")
struct SyntaxTests {
    @Test("unknown members are skipped, whatever they hold")
    func unknownMembersSkipped() throws {
        let line = try decodeLine(
            #"{"extra":{"a":[1,{"b":"}]\"{"},[],{}],"c":null},"type":"mark","list":[[["deep"]],-1.5e-3,true,false,null],"#
                + #""quoted":"a \"name\": \"x\", }","name":"kept","n":0,"t":1,"e":{},"ar":[]}"#)
        #expect(line == DecodedLine(timestamp: 1_000_000_000, payload: .mark(Mark(name: "kept"))))
    }

    @Test("whitespace anywhere JSON allows it, including a line terminator")
    func whitespace() throws {
        let line = try decodeLine(" \t{ \"type\" :\t\"tool_end\" ,\r\n \"ok\" : true , \"x\" : [ 1 , { } ] }\r\n")
        #expect(line.payload == .toolEnd(ToolEnd(ok: true)))
    }

    @Test("blank lines decode to nil", arguments: ["", " ", "\t", "\n", "\r\n", "  \t \r\n"])
    func blankLines(text: String) throws {
        var decoder = InterchangeDecoder()
        #expect(try decoder.decode(text) == nil)
        #expect(try decoder.decode(Array(text.utf8)) == nil)
        Array(text.utf8).withUnsafeBufferPointer { #expect(InterchangeDecoder.isBlank($0)) }
    }

    @Test("string escapes, including \\u and surrogate pairs")
    func escapes() throws {
        let line = try decodeLine(
            #"{"type":"mark","text":"q\"b\\s\/n\nr\rt\tb\bf\fu\u0041\u00e9\u4e2d\uD83D\uDE00\u0000end","name":"é中😀"}"#)
        #expect(line.payload == .mark(Mark(name: "é中😀", text: "q\"b\\s/n\nr\rt\tb\u{08}f\u{0C}uAé中😀\u{0}end")))
    }

    @Test("escaped member names are matched")
    func escapedKeys() throws {
        let line = try decodeLine(#"{"\u0074ype":"mark","na\u006De":"x"}"#)
        #expect(line.payload == .mark(Mark(name: "x")))
    }

    @Test("the three input forms decode alike")
    func inputForms() throws {
        let text = #"{"type":"mark","name":"a"}"#
        var decoder = InterchangeDecoder()
        let expected = DecodedLine(timestamp: nil, payload: .mark(Mark(name: "a")))
        #expect(try decoder.decode(text) == expected)
        #expect(try decoder.decode(Array(text.utf8)) == expected)
        let bytes = Array(text.utf8)
        let raw = try bytes.withUnsafeBytes { buffer in try decoder.decode(buffer) }
        #expect(raw == expected)
    }

    @Test("one decoder reused over many lines keeps no state between them")
    func reuse() throws {
        var decoder = InterchangeDecoder()
        #expect(try decoder.decode(#"{"type":"mark","name":"a\u0062","t_ns":1}"#)?.payload == .mark(Mark(name: "ab")))
        #expect(throws: InterchangeError.self) { try decoder.decode(#"{"type":"mark","name":1"#) }
        #expect(try decoder.decode(#"{"type":"mark"}"#) == DecodedLine(timestamp: nil, payload: .mark(Mark())))
    }
}
