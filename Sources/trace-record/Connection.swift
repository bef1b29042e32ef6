#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessControl
import TraceLog
import TraceRecorder

/// One client connection: reads bytes, splits them into lines, decodes and
/// records each, and reports the lines that fail. Driven by one
/// ``EventLoop`` thread, which owns it and closes its socket.
final class Connection: @unchecked Sendable {
    /// Lines longer than this are reported and skipped.
    static let maximumLineBytes = 16 << 20
    /// How long connections keep being read once the server stops.
    static let drainNanoseconds: Int64 = 2_000_000_000

    private let fd: Int32
    private let number: Int
    private let server: EventServer
    private var decoder: any LineDecoding
    private var buffer: UnsafeMutableRawBufferPointer
    /// Bytes in `buffer[0..<end]` not yet consumed as lines.
    private var end = 0
    private var lineNumber = 0
    private var events = 0
    /// Set while skipping the rest of a line that was too long.
    private var skippingLongLine = false

    /// The connecting process's id (`SO_PEERCRED`), 0 when unknown.
    let peer: Int32

    /// Nil when no memory is left for the connection's buffer (an
    /// address-space limit): the server then refuses it.
    init?(fd: Int32, number: Int, server: EventServer, decoder: any LineDecoding) {
        guard let memory = malloc(Self.baseBufferBytes) else { return nil }
        self.fd = fd
        self.peer = max(0, agent_trace_peer_pid(fd))
        self.number = number
        self.server = server
        self.decoder = decoder
        self.buffer = UnsafeMutableRawBufferPointer(start: memory, count: Self.baseBufferBytes)
    }

    deinit {
        server.releaseBuffer(buffer.count - Self.baseBufferBytes)
        free(buffer.baseAddress)
    }

    /// Every connection's buffer starts (and shrinks back to) this size;
    /// more comes from the server's budget (``EventServer/bufferBudget``).
    static let baseBufferBytes = 1 << 18

    /// What one read of the connection gave.
    enum ReadOutcome {
        /// Bytes were read (and their complete lines handled).
        case read
        /// Nothing more is there now (the socket is non-blocking).
        case empty
        /// The client closed the connection (or it failed).
        case closed
    }

    /// The connection's socket (non-blocking), read by its event loop.
    var descriptor: Int32 { fd }

    /// Events recorded so far.
    var recordedEvents: Int { events }

    /// Reads once what the client sent, at most the buffer's free space,
    /// and handles the complete lines in it.
    func readOnce() -> ReadOutcome {
        if end == buffer.count && !grow() {
            // The budget is spent: this line is skipped, as a line too long.
            skipLine(because: "the connections' buffers reached their \(EventServer.bufferBudget)-byte budget")
        }
        let count = read(fd, buffer.baseAddress! + end, buffer.count - end)
        if count < 0 {
            if errno == EINTR { return .read }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .empty }
            return .closed
        }
        if count == 0 { return .closed }
        consume(newBytes: count)
        return .read
    }

    /// Splits complete lines out of the buffer and handles them.
    private func consume(newBytes: Int) {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var start = 0
        var scan = end
        end += newBytes
        while scan < end, let found = memchr(base + scan, 0x0A, end - scan) {
            let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            handle(UnsafeBufferPointer(start: base + start, count: newline - start))
            start = newline + 1
            scan = start
        }
        if start > 0 {
            let rest = end - start
            if rest > 0 { memmove(base, base + start, rest) }
            end = rest
        }
        if end >= Self.maximumLineBytes { skipLine(because: "longer than \(Self.maximumLineBytes)") }
        shrinkIfIdle()
    }

    /// Gives a grown buffer back once what it holds fits the base size.
    private func shrinkIfIdle() {
        guard buffer.count > Self.baseBufferBytes, end <= Self.baseBufferBytes / 2 else { return }
        guard let memory = malloc(Self.baseBufferBytes) else { return }
        let smaller = UnsafeMutableRawBufferPointer(start: memory, count: Self.baseBufferBytes)
        if end > 0 { smaller.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end) }
        server.releaseBuffer(buffer.count - Self.baseBufferBytes)
        free(buffer.baseAddress)
        buffer = smaller
    }

    /// The first bytes of the line being skipped for its length, and how
    /// many bytes of it came so far.
    private var longLineStart: [UInt8] = []
    private var longLineBytes = 0
    private var longLineReason = ""

    /// Skips the line in the buffer and the rest of it to come, reported
    /// once it ends (``reportLongLine(count:ended:)``) with its whole length.
    private func skipLine(because reason: String) {
        if !skippingLongLine {
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            longLineStart = Array(UnsafeBufferPointer(start: base, count: min(end, 200)))
            longLineReason = reason
        }
        longLineBytes += end
        skippingLongLine = true
        end = 0
    }

    /// Reports the line skipped for its length, with the bytes it had.
    private func reportLongLine(count: Int, ended: Bool) {
        longLineStart.withUnsafeBufferPointer { start in
            server.malformed.add(
                connection: number, line: lineNumber,
                problem: "line of \(count) bytes\(ended ? "" : " (cut by the end of the connection)"), \(longLineReason): skipped",
                bytes: start, totalBytes: count)
        }
        longLineStart = []
        longLineBytes = 0
    }

    /// Handles one complete line.
    private func handle(_ line: UnsafeBufferPointer<UInt8>) {
        lineNumber += 1
        if skippingLongLine {
            skippingLongLine = false
            reportLongLine(count: longLineBytes + line.count, ended: true)
            return
        }
        switch decoder.decode(line) {
        case .blank: break
        case .event(let timestamp, let payload):
            server.record(payload, wallClock: timestamp, sender: peer)
            events += 1
        case .malformed(let problem):
            server.malformed.add(connection: number, line: lineNumber, problem: problem, bytes: line)
        }
    }

    /// Handles what is left when the connection ends: a last line without
    /// its newline is decoded if it is complete JSON, and reported if not.
    func finish(reason: String) {
        if skippingLongLine {
            lineNumber += 1
            reportLongLine(count: longLineBytes + end, ended: false)
            return
        }
        guard end > 0 else { return }
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let line = UnsafeBufferPointer(start: base, count: end)
        lineNumber += 1
        end = 0
        switch decoder.decode(line) {
        case .blank: break
        case .event(let timestamp, let payload):
            server.record(payload, wallClock: timestamp, sender: peer)
            events += 1
        case .malformed(let problem):
            server.malformed.add(
                connection: number, line: lineNumber,
                problem: "\(reason) in the middle of a line (\(line.count) bytes without a newline): \(problem)", bytes: line)
        }
    }

    /// Doubles the buffer, from the server's budget; false when the budget
    /// has no room.
    private func grow() -> Bool {
        guard server.reserveBuffer(buffer.count) else { return false }
        guard let memory = malloc(buffer.count * 2) else {
            // No memory left (an address-space limit): as a spent budget.
            server.releaseBuffer(buffer.count)
            return false
        }
        let bigger = UnsafeMutableRawBufferPointer(start: memory, count: buffer.count * 2)
        bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
        free(buffer.baseAddress)
        buffer = bigger
        return true
    }
}
