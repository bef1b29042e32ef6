// libFuzzer entry point: a whole log file's bytes through the frame scanner
// (zstd frames, resynchronisation, segment decoding), then the events of
// every run through both metric sets and every renderer. Built by
// tools/fuzz.sh; not part of the Swift package.
import TraceAnalysis
import TraceLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScanner(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let contents = LogFileScanner.scan(bytes, path: "fuzz.zst")
    for diagnostic in contents.diagnostics { _ = diagnostic.description }
    FuzzAnalysis.analyze(contents.segments.map(\.segment))
    return 0
}
