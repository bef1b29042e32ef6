// libFuzzer entry point: JSON Lines interchange text through the decoder,
// line by line; every decoded event is printed back and read again (the
// dump/import round trip must hold for anything the decoder accepts).
// Built by tools/fuzz.sh; not part of the Swift package.
import TraceInterchange
import TraceLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var decoder = InterchangeDecoder()
    let encoder = InterchangeEncoder(timeFields: .seconds)
    var start = 0
    while start <= size {
        var end = start
        while end < size, bytes[end] != 0x0A { end += 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if let decoded = try? decoder.decode(line) {
            // What the decoder accepts prints, and the print reads back to
            // the same print.
            let printed = encoder.encode(timestamp: decoded.timestamp, payload: decoded.payload)
            var again = InterchangeDecoder()
            guard let reread = try? again.decode(printed) else {
                fatalError("printed line does not decode: \(printed)")
            }
            let reprinted = encoder.encode(timestamp: reread.timestamp, payload: reread.payload)
            if reprinted != printed { fatalError("round trip changed the line:\n\(printed)\n\(reprinted)") }
        }
        start = end + 1
    }
    return 0
}
