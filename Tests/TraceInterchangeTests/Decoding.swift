import Testing
import TraceInterchange
import TraceLog

/// Decodes one line, failing the test when it is blank.
func decodeLine(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DecodedLine {
    var decoder = InterchangeDecoder()
    return try #require(try decoder.decode(line), sourceLocation: sourceLocation)
}

/// The error decoding `line` throws, or `nil` when it decodes.
func decodingError(_ line: String) -> InterchangeError? {
    var decoder = InterchangeDecoder()
    do {
        _ = try decoder.decode(line)
        return nil
    } catch {
        return error
    }
}
