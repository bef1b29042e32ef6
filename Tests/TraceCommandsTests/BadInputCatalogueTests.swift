import Foundation
import Testing
import TraceAnalysis
import TraceInterchange
import TraceLog
@testable import TraceCommands

// The tests of docs/BAD-INPUT.md: one per row that is not covered elsewhere
// (the table names the test of every row). Each feeds one kind of bad input
// through the reader and every metric set, view and format, and checks that
// nothing crashes, that intact data is kept, and what the user is told.

/// Builds logs and runs everything over them.
enum Catalogue {
    static let anchor = ClockAnchor.identity
    static let t0: Int64 = 1_732_238_400_000_000_000

    /// Payloads from JSON Lines (docs/FORMAT.md §6), with their times.
    static func events(_ text: String) -> [(EventPayload, Int64)] {
        var decoder = InterchangeDecoder()
        return text.split(separator: "\n").map { line in
            let decoded = try! decoder.decode(String(line))!
            return (decoded.payload, decoded.timestamp ?? 0)
        }
    }

    /// One zstd frame per segment of `perSegment` events.
    static func frames(_ events: [(EventPayload, Int64)], runID: String = "r1", perSegment: Int = 1 << 30) -> [[UInt8]] {
        var encoder = SegmentEncoder(runID: runID, anchor: anchor, buffer: RecordBuffer(capacity: 1024))
        let compressor = ZstdCompressor(level: 1)
        var frames: [[UInt8]] = []
        func close() {
            if let content = encoder.closeSegment(continuingIn: { RecordBuffer(capacity: 1024) }) {
                frames.append(try! compressor.compress(content.bytes) as [UInt8])
            }
        }
        for (i, (payload, t)) in events.enumerated() {
            encoder.append(payload, monotonic: t)
            if (i + 1) % perSegment == 0 { close() }
        }
        close()
        return frames
    }

    /// One frame holding `content` as is.
    static func frame(content: [UInt8]) -> [UInt8] {
        content.withUnsafeBytes { try! ZstdCompressor(level: 1).compress($0) as [UInt8] }
    }

    /// The decompressed content of one frame.
    static func content(_ frame: [UInt8]) -> [UInt8] {
        frame.withUnsafeBytes { raw in
            try! ZstdDecompressor().decompress(raw, contentSize: Int(ZstdFrames.contentSize(raw)!)) as [UInt8]
        }
    }

    /// Writes `bytes` to a fresh file and reads it back as a log set.
    static func read(_ files: [[UInt8]], names: [String]? = nil) -> LogSet {
        let dir = temporaryDirectory()
        let paths = files.enumerated().map { i, bytes in
            let path = dir.appendingPathComponent(names?[i] ?? "log-\(i).zst").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return path
        }
        return LogReader.read(paths)
    }

    static func read(_ bytes: [UInt8]) -> LogSet { read([bytes]) }

    /// Every metric set × view × format over `log`: the outputs, and the
    /// analysis diagnostics. Crashes here are what the catalogue rules out.
    static func analyseEverything(_ log: LogSet) -> (outputs: [String], diagnostics: [String]) {
        var outputs: [String] = []
        var diagnostics: [String] = []
        for set in MetricSets.all {
            for view in [AnalysisView.turn, .query, .run, .view(.tool), .view(.model), .view(.label("data_id"))] {
                for format in [OutputFormat.table, .csv, .json] {
                    let (output, found) = AnalysisReport(metricSet: set, view: view, format: format).render(log)
                    outputs.append(output)
                    diagnostics += found.diagnostics.map(\.description)
                }
            }
        }
        return (outputs, diagnostics)
    }

    /// The events of the first run, as JSON Lines (what `dump` prints).
    static func dump(_ log: LogSet) -> [String] {
        let encoder = InterchangeEncoder(timeFields: .seconds)
        return log.runs.flatMap { $0.events.map { encoder.encode($0) } }
    }

    /// A small well-formed run: a query with an inference, a tool call and samples.
    static let wellFormed = """
        {"type":"query_start","t_ns":1732238400000000000,"query_id":"q1"}
        {"type":"sample","t_ns":1732238400000000000,"source":"gpu0","gpu_energy_j":100.0,"gpu_power_w":200.0}
        {"type":"inference_start","t_ns":1732238400100000000,"query_id":"q1","span_id":"c1","model":"m"}
        {"type":"sample","t_ns":1732238400500000000,"source":"gpu0","gpu_energy_j":200.0,"gpu_power_w":200.0}
        {"type":"inference_end","t_ns":1732238400600000000,"query_id":"q1","span_id":"c1","prompt_tokens":10,"completion_tokens":5}
        {"type":"tool_start","t_ns":1732238400600000000,"query_id":"q1","span_id":"t1","parent_span_id":"c1","tool":"search"}
        {"type":"tool_end","t_ns":1732238400800000000,"query_id":"q1","span_id":"t1","tool":"search","ok":true}
        {"type":"sample","t_ns":1732238401000000000,"source":"gpu0","gpu_energy_j":300.0,"gpu_power_w":200.0}
        {"type":"query_end","t_ns":1732238401000000000,"query_id":"q1","status":"completed"}
        """
}

@Suite struct BadInputCatalogueTests {
    // MARK: Files and frames

    @Test func zstdOfGarbageIsASkippedSegmentNamedByOffset() {
        let good = Catalogue.frames(Catalogue.events(Catalogue.wellFormed))[0]
        let garbage = Catalogue.frame(content: Array("not a segment at all".utf8))
        let log = Catalogue.read(garbage + good)
        #expect(log.runs.first?.events.count == 9)
        let error = log.diagnostics.first { $0.severity == .error }
        #expect(error?.segment == 0 && error?.byteOffset == 0)
        #expect(error?.description.contains("log-0.zst") == true)
        #expect(!log.isIntact)
        _ = Catalogue.analyseEverything(log)
    }

    @Test func flippingAnyBitCostsAtMostTheSegmentItHits() {
        // Four segments of a small run; flip every bit of the file in turn.
        let events = Catalogue.events(Catalogue.wellFormed)
        let frames = Catalogue.frames(events, perSegment: 3)
        #expect(frames.count == 3)
        let bytes = frames.flatMap { $0 }
        var starts: [Int] = []
        var offset = 0
        for frame in frames { starts.append(offset); offset += frame.count }
        let original = bytes.withUnsafeBytes { LogFileScanner.scan($0, path: "f.zst") }
        let byFirstSequence = Dictionary(uniqueKeysWithValues: original.segments.map {
            ($0.segment.header.segmentSequence, $0.segment.events)
        })
        var damaged = bytes
        for bit in 0..<bytes.count * 8 {
            damaged[bit / 8] ^= UInt8(1 << (bit % 8))
            let scanned = damaged.withUnsafeBytes { LogFileScanner.scan($0, path: "f.zst") }
            damaged[bit / 8] ^= UInt8(1 << (bit % 8))
            let hit = starts.lastIndex { $0 <= bit / 8 }!
            // Every segment not hit is kept, and whatever decodes is what was written.
            for (i, _) in frames.enumerated() where i != hit {
                #expect(scanned.segments.contains { $0.segment.header.segmentSequence == UInt64(i) }, "bit \(bit)")
            }
            for read in scanned.segments {
                let expected = byFirstSequence[read.segment.header.segmentSequence]
                #expect(read.segment.events == expected || read.segment.problem != nil, "bit \(bit)")
            }
            #expect(scanned.diagnostics.allSatisfy { $0.file == "f.zst" && ($0.byteOffset != nil) })
        }
    }

    @Test func aDuplicatedSegmentIsReadOnceWithAWarning() throws {
        let frames = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), perSegment: 3)
        let log = Catalogue.read(frames[0] + frames[1] + frames[1] + frames[2])
        let run = try #require(log.runs.first)
        #expect(run.events.map(\.sequence) == Array(0..<9))
        let warning = try #require(log.diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(warning.description.contains("duplicate of run r1's segment 1"))
        #expect(warning.segment == 2 && warning.byteOffset == frames[0].count + frames[1].count)
    }

    @Test func reorderedSegmentsAndFilesAreReadInSequenceOrder() throws {
        let frames = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), perSegment: 2)
        let reversed = Catalogue.read(frames.reversed().flatMap { $0 })
        #expect(reversed.runs.first?.events.map(\.sequence) == Array(0..<9))
        #expect(reversed.diagnostics.isEmpty)
        // Rotated files given in the wrong order.
        let files = Catalogue.read([frames[3] + frames[4], frames[0] + frames[1] + frames[2]])
        #expect(files.runs.count == 1)
        #expect(files.runs.first?.events.map(\.sequence) == Array(0..<9))
        let a = Catalogue.analyseEverything(Catalogue.read(frames.flatMap { $0 })).outputs
        #expect(Catalogue.analyseEverything(reversed).outputs == a)
    }

    @Test func twoRunsInterleavedInOneFileAreSeparated() throws {
        let a = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "A", perSegment: 3)
        let b = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "B", perSegment: 4)
        let log = Catalogue.read(a[0] + b[0] + a[1] + b[1] + b[2] + a[2])
        #expect(log.runs.map(\.runID) == ["A", "B"])
        #expect(log.runs.allSatisfy { $0.events.map(\.sequence) == Array(0..<9) })
        #expect(log.isIntact)
        let (outputs, _) = Catalogue.analyseEverything(log)
        // Both runs are analysed: the run view has a row for each.
        let runCSV = try #require(outputs.first { $0.hasPrefix("run_id") && $0.contains("\nA,") })
        #expect(runCSV.contains("\nB,"))
    }

    @Test func anAbsurdDeclaredContentSizeIsDamageWithoutAllocating() {
        // A hand-made frame header: single segment, 8-byte content size 2^40.
        var frame: [UInt8] = ZstdFrames.magic + [0xE4]  // FCS 8 bytes, single segment, checksum
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { frame += $0 }
        frame += [0x01, 0x00, 0x00]  // last block, raw, size 0
        frame += [0, 0, 0, 0]
        let good = Catalogue.frames(Catalogue.events(Catalogue.wellFormed))[0]
        let log = Catalogue.read(frame + good)
        #expect(log.runs.first?.events.count == 9)
        #expect(log.diagnostics.first?.severity == .error)
        #expect(log.diagnostics.first?.byteOffset == 0)
    }

    @Test func absurdStringAndFieldLengthsAreRejectedWithoutAllocating() throws {
        let frames = Catalogue.frames(Catalogue.events(Catalogue.wellFormed))
        var content = Catalogue.content(frames[0])
        // A mark record whose body holds an inline text claiming 2^62 bytes.
        let body: [UInt8] = [0x00, 4 << 3 | 4, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]
        content += [RecordKind.mark.rawValue, UInt8(body.count)] + body
        let log = Catalogue.read(Catalogue.frame(content: content))
        #expect(log.runs.first?.events.count == 9)
        let error = try #require(log.diagnostics.first)
        #expect(error.severity == .error && error.record != nil && error.segment == 0)
        // A varint of more than 10 bytes.
        var long = Catalogue.content(frames[0])
        long += [RecordKind.mark.rawValue] + [UInt8](repeating: 0xFF, count: 12) + [0x01]
        let log2 = Catalogue.read(Catalogue.frame(content: long))
        #expect(log2.runs.first?.events.count == 9)
        #expect(log2.diagnostics.first?.severity == .error)
    }

    @Test func aStringReferenceOutsideTheTableIsAnErrorNamingTheRecord() throws {
        let frames = Catalogue.frames(Catalogue.events(Catalogue.wellFormed))
        var content = Catalogue.content(frames[0])
        // A mark whose name refers to string 1000 of a table of a few.
        let body: [UInt8] = [0x00, 1 << 3 | 3, 0xE8, 0x07]
        content += [RecordKind.mark.rawValue, UInt8(body.count)] + body
        let log = Catalogue.read(Catalogue.frame(content: content))
        #expect(log.runs.first?.events.count == 9)
        let error = try #require(log.diagnostics.first)
        #expect(error.severity == .error && error.segment == 0 && error.record != nil)
    }

    @Test func timestampsAtTheEdgesOfInt64DoNotOverflow() {
        // Deltas that wrap the running timestamp, and events at ±2^63 ns.
        let events: [(EventPayload, Int64)] = [
            (.queryStart(QueryStart(queryID: "q1")), .min),
            (.inferenceStart(InferenceStart(spanID: "c1", queryID: "q1", model: "m")), .max),
            (.sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: 1)), .min),
            (.inferenceEnd(InferenceEnd(spanID: "c1", queryID: "q1", promptTokens: 1)), .max),
            (.sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: 2)), 0),
            (.queryEnd(QueryEnd(queryID: "q1", status: "completed")), .max),
        ]
        let log = Catalogue.read(Catalogue.frames(events)[0])
        #expect(log.runs.first?.events.map(\.timestamp) == events.map(\.1))
        let (outputs, diagnostics) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
        // Left out of the analysis, with a message naming the run and the first such event.
        #expect(diagnostics.contains { $0.contains("5 event(s) with timestamps more than 146 years from 1970") })
        // dump still prints them as they are.
        #expect(Catalogue.dump(log).count == 6)
    }

    // MARK: Values and event structure

    @Test func nonFiniteValuesAreKeptAndNeverCrashAnalysis() {
        let lines = Catalogue.wellFormed + "\n" + """
            {"type":"sample","t_ns":1732238400700000000,"source":"gpu0","gpu_energy_j":"NaN","gpu_power_w":"Infinity"}
            {"type":"sample","t_ns":1732238400750000000,"source":"gpu0","gpu_energy_j":"-Infinity","gpu_power_w":"NaN","energy_wrap_j":"NaN"}
            {"type":"inference_end","t_ns":1732238400900000000,"query_id":"q1","span_id":"c9","cost_usd":"NaN","ttft_s":"-Infinity"}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        #expect(log.runs.first?.events.count == 12)
        let (outputs, _) = Catalogue.analyseEverything(log)
        // Energy stays finite: the non-finite readings are skipped.
        let runCSV = outputs.first { $0.hasPrefix("run_id") } ?? ""
        #expect(!runCSV.lowercased().contains("nan"))
        // dump keeps them as the interchange's strings.
        #expect(Catalogue.dump(log).contains { $0.contains(#""gpu_energy_j":"NaN""#) })
    }

    @Test func negativeAndAbsurdTokenCountsNeverCrashAnalysis() {
        let lines = """
            {"type":"query_start","t_ns":1732238400000000000,"query_id":"q1"}
            {"type":"inference_start","t_ns":1732238400100000000,"query_id":"q1","span_id":"c1","model":"m"}
            {"type":"inference_end","t_ns":1732238400200000000,"query_id":"q1","span_id":"c1","prompt_tokens":9223372036854775807,"completion_tokens":9223372036854775807,"cached_tokens":-5,"reasoning_tokens":-9223372036854775808,"cost_usd":1e308}
            {"type":"inference_start","t_ns":1732238400300000000,"query_id":"q1","span_id":"c2","model":"m"}
            {"type":"inference_end","t_ns":1732238400400000000,"query_id":"q1","span_id":"c2","prompt_tokens":9223372036854775807,"completion_tokens":-1,"cost_usd":1e308}
            {"type":"tool_start","t_ns":1732238400500000000,"query_id":"q1","span_id":"t1","tool":"x"}
            {"type":"tool_end","t_ns":1732238400600000000,"query_id":"q1","span_id":"t1","tool":"x","output_bytes":-9223372036854775808}
            {"type":"query_end","t_ns":1732238401000000000,"query_id":"q1","status":"completed"}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        #expect(log.runs.first?.events.count == 8)
        let (outputs, _) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
    }

    @Test func endsWithoutStartsAndStartsWithoutEnds() {
        let lines = """
            {"type":"inference_end","t_ns":1732238400050000000,"query_id":"q0","span_id":"orphan","prompt_tokens":3}
            {"type":"tool_end","t_ns":1732238400060000000,"query_id":"q0","span_id":"orphan-tool","tool":"x","ok":true}
            {"type":"query_end","t_ns":1732238400070000000,"query_id":"q0","status":"completed"}
            {"type":"query_start","t_ns":1732238400100000000,"query_id":"q1"}
            {"type":"inference_start","t_ns":1732238400200000000,"query_id":"q1","span_id":"c1","model":"m"}
            {"type":"tool_start","t_ns":1732238400300000000,"query_id":"q1","span_id":"t1","tool":"x"}
            {"type":"query_start","t_ns":1732238400400000000,"query_id":"q2"}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        let (outputs, diagnostics) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
        // The unmatched events are reported, not silently dropped.
        #expect(!diagnostics.isEmpty)
    }

    @Test func duplicateSpanIDsNeverCrashAnalysis() {
        let lines = """
            {"type":"query_start","t_ns":1732238400000000000,"query_id":"q1"}
            {"type":"inference_start","t_ns":1732238400100000000,"query_id":"q1","span_id":"c1","model":"m"}
            {"type":"inference_start","t_ns":1732238400150000000,"query_id":"q1","span_id":"c1","model":"m"}
            {"type":"inference_end","t_ns":1732238400200000000,"query_id":"q1","span_id":"c1","prompt_tokens":1}
            {"type":"inference_end","t_ns":1732238400250000000,"query_id":"q1","span_id":"c1","prompt_tokens":2}
            {"type":"inference_end","t_ns":1732238400260000000,"query_id":"q1","span_id":"c1","prompt_tokens":3}
            {"type":"tool_start","t_ns":1732238400300000000,"query_id":"q1","span_id":"c1","tool":"x"}
            {"type":"tool_end","t_ns":1732238400400000000,"query_id":"q1","span_id":"c1","tool":"x","ok":true}
            {"type":"query_start","t_ns":1732238400500000000,"query_id":"q1"}
            {"type":"query_end","t_ns":1732238401000000000,"query_id":"q1","status":"completed"}
            {"type":"query_end","t_ns":1732238401100000000,"query_id":"q1","status":"completed"}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        let (outputs, _) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
    }

    @Test func timestampsGoingBackwardsNeverCrashAnalysis() {
        let lines = """
            {"type":"query_start","t_ns":1732238401000000000,"query_id":"q1"}
            {"type":"sample","t_ns":1732238401000000000,"source":"gpu0","gpu_energy_j":300.0}
            {"type":"inference_start","t_ns":1732238400900000000,"query_id":"q1","span_id":"c1","model":"m"}
            {"type":"sample","t_ns":1732238400000000000,"source":"gpu0","gpu_energy_j":100.0}
            {"type":"inference_end","t_ns":1732238400100000000,"query_id":"q1","span_id":"c1","prompt_tokens":1}
            {"type":"tool_start","t_ns":1732238400800000000,"query_id":"q1","span_id":"t1","tool":"x"}
            {"type":"tool_end","t_ns":1732238400700000000,"query_id":"q1","span_id":"t1","tool":"x","ok":true}
            {"type":"query_end","t_ns":1732238400000000000,"query_id":"q1","status":"completed"}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        #expect(log.runs.first?.events.count == 8)
        let (outputs, _) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
    }

    @Test func samplesOutsideEveryQueryNeverCrashAnalysis() throws {
        let lines = """
            {"type":"sample","t_ns":1732238390000000000,"source":"gpu0","gpu_energy_j":0.0}
            {"type":"sample","t_ns":1732238391000000000,"source":"gpu0","gpu_energy_j":100.0}
            {"type":"query_start","t_ns":1732238400000000000,"query_id":"q1"}
            {"type":"query_end","t_ns":1732238401000000000,"query_id":"q1","status":"completed"}
            {"type":"sample","t_ns":1732238410000000000,"source":"gpu0","gpu_energy_j":200.0}
            """
        let log = Catalogue.read(Catalogue.frames(Catalogue.events(lines))[0])
        let (outputs, _) = Catalogue.analyseEverything(log)
        #expect(outputs.count == 36)
    }
}
