import Foundation
import TraceInterchange
import TraceLog
import TraceRecorder

/// Reads OTLP JSON files (plain or zstd-compressed) and records their spans
/// as events through a ``Recorder`` (`trace-analyze import --from otlp`).
struct OTLPImporter {
    /// The run id to write; else a resource's `agent_trace.run_id`, else a
    /// hash of the inputs.
    var runID: String?
    /// Segment size for the recorder.
    var segmentBytes: Int

    /// What an import did.
    struct Report {
        var lines = 0
        var spans = 0
        var events = 0
        var warnings: [String] = []
        var errors: [String] = []
    }

    /// Imports `inputs` into a log at `path`.
    func importFiles(_ inputs: [String], to path: String) throws -> Report {
        var report = Report()
        var spans: [OTLPSpan] = []
        var fingerprint = ""
        for input in inputs {
            guard var data = FileManager.default.contents(atPath: input) else {
                throw CommandError("\(input): cannot read the file: \(FileManager.default.fileExists(atPath: input) ? "permission denied" : "no such file")")
            }
            if data.starts(with: ZstdFrames.magic) { data = try Self.decompress(data, name: input) }
            fingerprint += data.withUnsafeBytes { Fingerprint.hex($0) }
            let result = OTLPJSONReader(inputName: input).read(data)
            report.lines += result.lines
            report.warnings += result.warnings
            report.errors += result.errors
            spans += result.spans
        }
        report.spans = spans.count
        // The recorder identity is the inputs' hash: importing them twice
        // writes identical logs.
        let name = "otlp-" + Array(fingerprint.utf8).withUnsafeBytes { Fingerprint.hex($0) }
        let resourceRun = spans.lazy.compactMap { span in span.resource.first { $0.key == "agent_trace.run_id" }?.value.text }.first
        let configuration = RecorderConfiguration(
            segmentBytes: segmentBytes, flushInterval: .seconds(86_400 * 365),
            runID: runID ?? resourceRun ?? name, anchor: .identity, recorderID: name)
        let recorder: Recorder
        do { recorder = try Recorder(path: path, configuration: configuration) } catch {
            throw CommandError("\(path): \(error)")
        }
        for (timestamp, payload) in OTLPMapping.events(from: spans) {
            recorder.record(payload, at: timestamp)
            report.events += 1
        }
        do { try recorder.close() } catch { throw CommandError("\(path): \(error)") }
        return report
    }

    /// The content of every zstd frame of `data`, in order.
    static func decompress(_ data: Data, name: String) throws -> Data {
        try data.withUnsafeBytes { raw throws -> Data in
            var output = Data()
            var offset = 0
            let decompressor = ZstdDecompressor()
            while offset < raw.count {
                let rest = UnsafeRawBufferPointer(rebasing: raw[offset...])
                let size: Int
                do { size = try ZstdFrames.compressedSize(rest) } catch {
                    throw CommandError("\(name): not a complete zstd frame at byte \(offset)")
                }
                let frame = UnsafeRawBufferPointer(rebasing: rest[..<size])
                guard let content = ZstdFrames.contentSize(frame), content <= UInt64(ZstdFrames.maximumContentSize) else {
                    throw CommandError("\(name): a zstd frame at byte \(offset) does not state its size (at most 1 GiB); decompress it with `zstd -d` first")
                }
                do { output += try decompressor.decompress(frame, contentSize: Int(content)) } catch {
                    throw CommandError("\(name): the zstd frame at byte \(offset) does not decompress: \(error)")
                }
                offset += size
            }
            return output
        }
    }
}
