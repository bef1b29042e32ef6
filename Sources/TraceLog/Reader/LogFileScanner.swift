import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One segment read from a file, with where it was found.
public struct ReadSegment: Sendable {
    /// The frame's 0-based position in its file.
    public var frameIndex: Int
    /// Byte offset of the frame in its file.
    public var byteOffset: Int
    /// Compressed size of the frame.
    public var compressedBytes: Int
    /// The decoded content. After ``LogReader/read(_:)`` its `events` are
    /// empty: they were moved into the run's ``RunLog/events``.
    public var segment: DecodedSegment
    /// How many events the segment decoded to (kept when its events are
    /// moved out).
    public var eventCount: Int
    /// The frame's last four bytes: the XXH64 checksum of its content for
    /// the frames recorders write. With ``compressedBytes`` and
    /// ``eventCount``, what tells a segment written twice (the same bytes)
    /// from two different segments claiming one place in a run.
    public var frameTail: UInt32 = 0

    /// Whether `other` holds the same content as far as the reader can tell
    /// without decoding both again (same size, checksum, events and first
    /// record).
    public func sameContent(as other: ReadSegment) -> Bool {
        compressedBytes == other.compressedBytes && frameTail == other.frameTail && eventCount == other.eventCount
            && segment.header == other.segment.header
    }
}

/// What one file held: its intact segments and everything that was wrong.
public struct LogFileContents: Sendable {
    /// The file's path as given.
    public var path: String
    /// Size of the file in bytes.
    public var byteCount: Int
    /// Segments that decoded, in file order.
    public var segments: [ReadSegment]
    /// Frames that were damaged or torn and skipped.
    public var damagedFrames: Int
    /// Problems, in file order.
    public var diagnostics: [LogDiagnostic]

    /// Whether every frame of the file decoded completely.
    public var isIntact: Bool {
        damagedFrames == 0 && !diagnostics.contains { $0.severity == .error } && !segments.isEmpty
            && !segments.contains { $0.segment.problem != nil }
    }

    /// Number of events in the intact segments.
    public var eventCount: Int { segments.reduce(0) { $0 + $1.eventCount } }
}

/// Walks the frames of a log file's bytes: decodes each intact segment,
/// skips damaged ones (resynchronising on the next zstd magic number), and
/// reports torn final frames and damage with file, segment and offset.
public enum LogFileScanner {
    /// Scans `data`, the whole content of the file at `path`.
    ///
    /// An intact file (every frame a complete zstd frame that decompresses)
    /// is decoded on up to `workers` threads, each segment alone, and the
    /// results are put back in file order, so the outcome is the same as a
    /// sequential scan's. A file with any damage is scanned sequentially.
    public static func scan(
        _ data: UnsafeRawBufferPointer, path: String, workers: Int = LogFileScanner.defaultWorkers
    ) -> LogFileContents {
        if workers > 1, let contents = scanIntact(data, path: path, workers: workers) { return contents }
        return scanSequentially(data, path: path)
    }

    /// The number of threads ``scan(_:path:workers:)`` decodes on by
    /// default: the machine's active processors, at most 8.
    public static let defaultWorkers = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// Decodes an intact file's frames in parallel; nil when any frame is
    /// damaged (the sequential scan then reports exactly where and how).
    static func scanIntact(_ data: UnsafeRawBufferPointer, path: String, workers: Int) -> LogFileContents? {
        guard !data.isEmpty else { return nil }
        var found: [(offset: Int, size: Int, contentSize: Int)] = []
        var offset = 0
        while offset < data.count {
            let rest = UnsafeRawBufferPointer(rebasing: data[offset...])
            switch ZstdFrames.frameStart(rest) {
            case .skippable(let size):
                offset += min(size, rest.count)
                continue
            case .other:
                return nil
            case .zstd:
                break
            }
            guard let size = try? ZstdFrames.compressedSize(rest) else { return nil }
            let frame = UnsafeRawBufferPointer(rebasing: rest[..<size])
            guard let declared = ZstdFrames.contentSize(frame), declared <= UInt64(ZstdFrames.maximumContentSize) else {
                return nil
            }
            found.append((offset, size, Int(declared)))
            offset += size
        }
        if found.count < 2 { return nil }

        let results = ParallelResults<Result<DecodedSegment, SegmentDecodingError>>(count: found.count)
        let base = UnsafeRawPointerBox(data)
        let frames = found
        let workerCount = min(workers, frames.count)
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            let decompressor = ZstdDecompressor()
            var index = worker
            while index < frames.count {
                let f = frames[index]
                let frame = UnsafeRawBufferPointer(rebasing: base.bytes[f.offset..<(f.offset + f.size)])
                results[index] = try? decompressor.decompress(frame, contentSize: f.contentSize) { content in
                    Result { () throws(SegmentDecodingError) in try SegmentDecoder.decode(content) }
                }
                index += workerCount
            }
        }

        var contents = LogFileContents(path: path, byteCount: data.count, segments: [], damagedFrames: 0, diagnostics: [])
        for (frameIndex, f) in frames.enumerated() {
            guard let decoded = results[frameIndex] else { return nil }  // did not decompress
            contents.record(decoded, frameIndex: frameIndex, offset: f.offset, frameSize: f.size,
                            tail: Self.tail(UnsafeRawBufferPointer(rebasing: base.bytes[f.offset..<(f.offset + f.size)])))
        }
        return contents
    }

    /// The last four bytes of a frame, little-endian (0 for a shorter one).
    static func tail(_ frame: UnsafeRawBufferPointer) -> UInt32 {
        guard frame.count >= 4 else { return 0 }
        var value: UInt32 = 0
        for byte in frame[(frame.count - 4)...].reversed() { value = value << 8 | UInt32(byte) }
        return value
    }

    /// Scans `data` frame by frame on the calling thread.
    static func scanSequentially(_ data: UnsafeRawBufferPointer, path: String) -> LogFileContents {
        walk(data, path: path) { content in
            Result { () throws(SegmentDecodingError) in try SegmentDecoder.decode(content) }
        }
    }

    /// Walks `data` frame by frame on the calling thread, handing each
    /// frame's decompressed content to `decode`, with the diagnostics of a
    /// sequential scan. `decode` may visit the events instead of gathering
    /// them (``SegmentDecoder/decode(_:samplesOnly:segment:visit:visitSample:)``); the segments
    /// are recorded as it returns them. `frameDone` is told the end offset of
    /// every frame passed, so the caller may release the bytes before it.
    public static func walk(
        _ data: UnsafeRawBufferPointer, path: String,
        frameDone: (Int) -> Void = { _ in },
        decode: (UnsafeRawBufferPointer) -> Result<DecodedSegment, SegmentDecodingError>
    ) -> LogFileContents {
        var contents = LogFileContents(path: path, byteCount: data.count, segments: [], damagedFrames: 0, diagnostics: [])
        if data.isEmpty {
            contents.diagnostics.append(LogDiagnostic(severity: .error, file: path, message: "empty file: no segments"))
            return contents
        }
        let decompressor = ZstdDecompressor()
        var offset = 0
        var frameIndex = 0

        func damaged(_ message: String, at start: Int) {
            // Look for the next frame; a failure that reaches the end of the
            // file is a torn final frame (the recorder was interrupted).
            if let next = ZstdFrames.nextMagic(in: data, from: start + 1) {
                contents.damagedFrames += 1
                contents.diagnostics.append(LogDiagnostic(
                    severity: .error, file: path, segment: frameIndex, byteOffset: start,
                    message: "\(message); skipped \(next - start) bytes to the next frame at byte \(next)"))
                offset = next
            } else {
                contents.damagedFrames += 1
                let tail = UnsafeRawBufferPointer(rebasing: data[start...])
                let torn = ZstdFrames.frameStart(tail).isZstd
                    || (tail.count < 4 && tail.elementsEqual(ZstdFrames.magic.prefix(tail.count)))
                contents.diagnostics.append(LogDiagnostic(
                    severity: torn ? .warning : .error, file: path, segment: frameIndex, byteOffset: start,
                    message: torn
                        ? "torn final frame (\(data.count - start) bytes, \(message)): skipped; the recorder was probably interrupted"
                        : "\(message); the last \(data.count - start) bytes hold no frame and were skipped"))
                offset = data.count
            }
            frameIndex += 1
        }

        while offset < data.count {
            let rest = UnsafeRawBufferPointer(rebasing: data[offset...])
            switch ZstdFrames.frameStart(rest) {
            case .skippable(let size):
                offset += min(size, rest.count)
                continue
            case .other:
                let tornMagic = rest.count < 4 && rest.elementsEqual(ZstdFrames.magic.prefix(rest.count))
                damaged(tornMagic ? "frame cut inside its magic number" :
                    offset == 0 ? "not a zstd frame (no zstd magic number)" : "no zstd frame starts here", at: offset)
                continue
            case .zstd:
                break
            }
            let frameSize: Int
            do {
                frameSize = try ZstdFrames.compressedSize(rest)
            } catch {
                damaged("incomplete or corrupt frame (\(error))", at: offset)
                continue
            }
            let frame = UnsafeRawBufferPointer(rebasing: rest[..<frameSize])
            guard let declared = ZstdFrames.contentSize(frame), declared <= UInt64(ZstdFrames.maximumContentSize) else {
                damaged("frame without a plausible declared content size", at: offset)
                continue
            }
            let decoded: Result<DecodedSegment, SegmentDecodingError>
            do {
                decoded = try decompressor.decompress(frame, contentSize: Int(declared), decode)
            } catch {
                damaged("frame does not decompress (\(error))", at: offset)
                continue
            }
            contents.record(decoded, frameIndex: frameIndex, offset: offset, frameSize: frameSize, tail: Self.tail(frame))
            offset += frameSize
            frameDone(offset)
            frameIndex += 1
        }
        return contents
    }
}

extension LogFileContents {
    /// Adds one decompressed frame's outcome: its segment, or the reason
    /// it was skipped, with the diagnostics it calls for.
    mutating func record(
        _ decoded: Result<DecodedSegment, SegmentDecodingError>, frameIndex: Int, offset: Int, frameSize: Int,
        tail: UInt32 = 0
    ) {
        ReadProgress.add(frameSize)
        switch decoded {
        case .success(let segment):
            if let problem = segment.problem {
                diagnostics.append(LogDiagnostic(
                    severity: .error, file: path, segment: frameIndex, byteOffset: offset, record: problem.recordIndex,
                    message: "\(problem.error); kept the \(segment.eventCount) events before it"))
            }
            if segment.unknownRecords > 0 {
                diagnostics.append(LogDiagnostic(
                    severity: .warning, file: path, segment: frameIndex, byteOffset: offset,
                    message: "skipped \(segment.unknownRecords) records of kinds this reader does not know"))
            }
            segments.append(ReadSegment(
                frameIndex: frameIndex, byteOffset: offset, compressedBytes: frameSize, segment: segment,
                eventCount: segment.eventCount, frameTail: tail))
        case .failure(let error):
            damagedFrames += 1
            diagnostics.append(LogDiagnostic(
                severity: .error, file: path, segment: frameIndex, byteOffset: offset,
                message: "\(error); segment skipped"))
        }
    }
}

/// One result slot per index, written by concurrent workers (each index by
/// exactly one worker) and read after they all finish.
final class ParallelResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Value? {
        get { slots[index] }
        set { slots[index] = newValue }
    }
}

/// Read-only bytes shared with concurrent workers while the owner keeps
/// them alive.
struct UnsafeRawPointerBox: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
}

extension ZstdFrames.FrameStart {
    var isZstd: Bool { if case .zstd = self { true } else { false } }
}
