// libFuzzer entry point: decompressed segment content (header, string
// table, records, tagged fields) through the segment decoder, then the
// decoded events through both metric sets and every renderer. Built by
// tools/fuzz.sh; not part of the Swift package.
import TraceAnalysis
import TraceLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegment(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let segment = try? SegmentDecoder.decode(bytes) else { return 0 }
    if let problem = segment.problem { _ = "\(problem.error)" }
    FuzzAnalysis.analyze([segment])
    return 0
}
