/// One segment read from a file, with where it was found.
public struct ReadSegment: Sendable {
    /// The frame's 0-based position in its file.
    public var frameIndex: Int
    /// Byte offset of the frame in its file.
    public var byteOffset: Int
    /// Compressed size of the frame.
    public var compressedBytes: Int
    /// The decoded content.
    public var segment: DecodedSegment
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
    public var eventCount: Int { segments.reduce(0) { $0 + $1.segment.events.count } }
}

/// Walks the frames of a log file's bytes: decodes each intact segment,
/// skips damaged ones (resynchronising on the next zstd magic number), and
/// reports torn final frames and damage with file, segment and offset.
public enum LogFileScanner {
    /// Scans `data`, the whole content of the file at `path`.
    public static func scan(_ data: UnsafeRawBufferPointer, path: String) -> LogFileContents {
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
                decoded = try decompressor.decompress(frame, contentSize: Int(declared)) { content in
                    Result { () throws(SegmentDecodingError) in try SegmentDecoder.decode(content) }
                }
            } catch {
                damaged("frame does not decompress (\(error))", at: offset)
                continue
            }
            switch decoded {
            case .success(let segment):
                if let problem = segment.problem {
                    contents.diagnostics.append(LogDiagnostic(
                        severity: .error, file: path, segment: frameIndex, byteOffset: offset, record: problem.recordIndex,
                        message: "\(problem.error); kept the \(segment.events.count) events before it"))
                }
                if segment.unknownRecords > 0 {
                    contents.diagnostics.append(LogDiagnostic(
                        severity: .warning, file: path, segment: frameIndex, byteOffset: offset,
                        message: "skipped \(segment.unknownRecords) records of kinds this reader does not know"))
                }
                contents.segments.append(ReadSegment(
                    frameIndex: frameIndex, byteOffset: offset, compressedBytes: frameSize, segment: segment))
            case .failure(let error):
                contents.damagedFrames += 1
                contents.diagnostics.append(LogDiagnostic(
                    severity: .error, file: path, segment: frameIndex, byteOffset: offset,
                    message: "\(error); segment skipped"))
            }
            offset += frameSize
            frameIndex += 1
        }
        return contents
    }
}

extension ZstdFrames.FrameStart {
    var isZstd: Bool { if case .zstd = self { true } else { false } }
}
