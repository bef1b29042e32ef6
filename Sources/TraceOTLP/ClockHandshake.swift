#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TraceLog

/// Measures how far another host's recorder clock is from this one's: a
/// few requests to its ``ClockEndpoint`` over one connection, each timed on
/// this clock (NTP's reasoning, with the answer taken halfway through the
/// round trip); the exchange with the shortest round trip gives the offset,
/// which is then known within half that round trip.
public enum ClockHandshake {
    /// Why a handshake failed, in words.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The answer's largest size taken.
    static let maximumResponseBytes = 64 << 10

    /// Runs `exchanges` exchanges with the endpoint at `peer`
    /// (`http://HOST:PORT`, or `HOST:PORT`; a path is ignored), each
    /// waiting at most `timeoutSeconds`; `now` is this recorder's
    /// wall-clock time (nanoseconds since the epoch).
    public static func measure(
        peer: String, exchanges: Int = 16, timeoutSeconds: Double = 2, now: () -> Int64
    ) throws(Failure) -> ClockOffsetMark {
        let (host, port) = try address(peer)
        let fd = try connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        let request = Array("GET \(ClockEndpoint.path) HTTP/1.1\r\nHost: \(host)\r\nConnection: keep-alive\r\n\r\n".utf8)
        var best: (offset: Int64, roundTrip: Int64)?
        var peerHost: String?
        var pending: [UInt8] = []
        for _ in 0..<max(exchanges, 1) {
            let sent = now()
            try send(fd, request)
            let body = try readResponse(fd, buffer: &pending)
            let received = now()
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let wall = (object["wall_ns"] as? NSNumber)?.int64Value
            else { throw Failure(description: "\(peer) did not answer with a wall_ns (is it trace-record --otlp-listen?)") }
            peerHost = object["host"] as? String
            let (roundTrip, late) = received.subtractingReportingOverflow(sent)
            // This clock halfway through the exchange, minus the answer.
            let (offset, overflow) = (sent / 2 + received / 2 + (sent % 2 + received % 2) / 2).subtractingReportingOverflow(wall)
            guard !late, roundTrip >= 0, !overflow, offset.magnitude <= 86_400_000_000_000 else {
                throw Failure(description: "\(peer) answered a time more than a day from this host's (\(wall) ns)")
            }
            if best == nil || roundTrip < best!.roundTrip { best = (offset, roundTrip) }
        }
        return ClockOffsetMark(
            host: peerHost, offsetNanoseconds: best!.offset, roundTripNanoseconds: best!.roundTrip,
            exchanges: max(exchanges, 1), peer: peer)
    }

    /// The host and port of `http://HOST:PORT/…`, `HOST:PORT` or `[V6]:PORT`.
    public static func address(_ peer: String) throws(Failure) -> (host: String, port: String) {
        var rest = Substring(peer)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let (host, port) = hostAndPort(rest), port > 0 else {
            throw Failure(description: "\(peer): expected http://HOST:PORT")
        }
        return (host, String(port))
    }

    /// The host and port of `HOST:PORT` or `[V6]:PORT` (a port 0–65535);
    /// nil when it is not of that form. Both `--clock-peer` and
    /// `--otlp-listen` are read with it.
    public static func hostAndPort(_ text: Substring) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("[") || host.hasSuffix("]") {
            guard host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 else { return nil }
            host = host.dropFirst().dropLast()
        }
        guard !host.isEmpty else { return nil }
        return (String(host), port)
    }

    private static func connect(host: String, port: String, timeoutSeconds: Double) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port, &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: "\(host):\(port): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: .init((timeoutSeconds - timeoutSeconds.rounded(.down)) * 1e6))
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = errno; continue }
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw Failure(description: "\(host):\(port): cannot connect (\(String(cString: strerror(lastError))))")
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure(description: "sending the request: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// Reads one response (status 200, a Content-Length body) and returns
    /// its body; bytes read past it stay in `buffer`.
    private static func readResponse(_ fd: Int32, buffer: inout [UInt8]) throws(Failure) -> [UInt8] {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var bodyLength: Int?
        while true {
            if headerEnd == nil, let end = find(separator, in: buffer) {
                headerEnd = end + separator.count
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                guard let status = lines.first, status.split(separator: " ").dropFirst().first == "200" else {
                    throw Failure(description: "the clock endpoint answered \(lines.first.map(String.init) ?? "nothing")")
                }
                for line in lines.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        bodyLength = Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }
                }
                guard let length = bodyLength, length >= 0, length <= maximumResponseBytes else {
                    throw Failure(description: "the clock endpoint's answer has no usable Content-Length")
                }
            }
            if let start = headerEnd, let length = bodyLength, buffer.count >= start + length {
                let body = Array(buffer[start..<start + length])
                buffer.removeFirst(start + length)
                return body
            }
            guard buffer.count <= maximumResponseBytes + 8192 else {
                throw Failure(description: "the clock endpoint's answer is too large")
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw Failure(description: count == 0 ? "the connection closed mid-answer" : "reading the answer: \(String(cString: strerror(errno)))")
            }
            buffer += chunk[..<count]
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return start }
        }
        return nil
    }
}
