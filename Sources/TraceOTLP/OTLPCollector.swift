import Foundation
import Synchronization
import TraceInterchange
import TraceLog

/// What `trace-record`'s OTLP/HTTP endpoint does with a request: checks it,
/// decodes its spans (protobuf or JSON, gzip accepted), and records them as
/// events once their trace is complete (its root span arrived) or when
/// recording stops; the answer is the OTLP response the spec asks for.
public final class OTLPCollector: Sendable {
    /// The largest body taken, as sent (413 above it).
    public static let maximumBodyBytes = 16 << 20
    /// The largest body taken once decompressed (413 above it).
    public static let maximumDecompressedBytes = 64 << 20
    /// The most spans held waiting for their trace's root (rejected beyond).
    public static let maximumPendingSpans = 1_000_000

    /// An HTTP answer.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var contentType: String
        public var body: Data
    }

    struct State {
        var pending: [String: [OTLPSpan]] = [:]
        var pendingOrder: [String] = []
        var pendingCount = 0
        var spans = 0
        var rejectedSpans = 0
        var refused: [Int: Int] = [:]
        var lastProblem: String?
    }

    private let state = Mutex(State())
    private let record: @Sendable (_ wallNanoseconds: Int64, _ payload: EventPayload) -> Void

    /// A collector that records each event with `record` (its time in
    /// wall-clock nanoseconds since the epoch).
    public init(record: @escaping @Sendable (_ wallNanoseconds: Int64, _ payload: EventPayload) -> Void) {
        self.record = record
    }

    /// Answers one request.
    public func handle(method: String, path: String, contentType: String?, contentEncoding: String?, body: Data) -> Response {
        let json = contentType?.lowercased().hasPrefix("application/json") ?? false
        func refuse(_ status: Int, _ message: String) -> Response {
            state.withLock {
                $0.refused[status, default: 0] += 1
                $0.lastProblem = message
            }
            return Self.error(status: status, message: message, json: json)
        }
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        guard route == "/v1/traces" else { return refuse(404, "only /v1/traces is served") }
        guard method == "POST" else { return refuse(405, "use POST") }
        guard json || (contentType?.lowercased().hasPrefix("application/x-protobuf") ?? false) else {
            return refuse(415, "content type \(contentType ?? "(none)") is not application/x-protobuf or application/json")
        }
        guard body.count <= Self.maximumBodyBytes else { return refuse(413, "body of \(body.count) bytes is over \(Self.maximumBodyBytes)") }
        var content = body
        switch contentEncoding?.lowercased() {
        case nil, "", "identity": break
        case "gzip":
            do { content = try Gzip.decompress(body, limit: Self.maximumDecompressedBytes) } catch {
                switch error {
                case .tooLarge: return refuse(413, "decompressed body is over \(Self.maximumDecompressedBytes) bytes")
                case .invalid(let why): return refuse(400, "gzip: \(why)")
                }
            }
        case let other?: return refuse(415, "content encoding \(other) is not gzip")
        }
        var spans: [OTLPSpan]
        var rejected: [String]
        if json {
            let result = OTLPJSONReader(inputName: "request").readRequest(content)
            if let problem = result.errors.first { return refuse(400, problem) }
            spans = result.spans
            rejected = result.warnings
        } else {
            do { (spans, rejected) = try OTLPProtobuf.spans(content) } catch {
                return refuse(400, "malformed protobuf: \(error)")
            }
        }
        let (complete, overflow) = state.withLock { state -> ([[OTLPSpan]], Int) in
            let room = max(0, Self.maximumPendingSpans - state.pendingCount)
            let overflow = max(0, spans.count - room)
            if overflow > 0 { spans.removeLast(overflow) }
            var roots: [String] = []
            for span in spans {
                if state.pending[span.traceID] == nil { state.pendingOrder.append(span.traceID) }
                state.pending[span.traceID, default: []].append(span)
                if span.parentSpanID == nil { roots.append(span.traceID) }
            }
            state.pendingCount += spans.count
            state.spans += spans.count
            state.rejectedSpans += rejected.count + overflow
            if let problem = rejected.first { state.lastProblem = problem }
            var complete: [[OTLPSpan]] = []
            for trace in roots {
                guard let trace = state.pending.removeValue(forKey: trace) else { continue }
                state.pendingCount -= trace.count
                complete.append(trace)
            }
            if !roots.isEmpty { state.pendingOrder.removeAll { state.pending[$0] == nil } }
            return (complete, overflow)
        }
        for trace in complete { recordTrace(trace) }
        let refusedCount = rejected.count + overflow
        let message = overflow > 0 ? "\(overflow) spans over the limit of \(Self.maximumPendingSpans) waiting spans"
            : rejected.first ?? ""
        if json {
            let text = refusedCount == 0 ? "{}" : #"{"partialSuccess":{"rejectedSpans":"\#(refusedCount)","errorMessage":"# + jsonString(message) + "}}"
            return Response(status: 200, contentType: "application/json", body: Data(text.utf8))
        }
        return Response(status: 200, contentType: "application/x-protobuf", body: OTLPProtobuf.response(rejected: refusedCount, message: message))
    }

    /// Records every trace still waiting for its root (recording stops).
    public func finish() {
        let traces = state.withLock { state -> [[OTLPSpan]] in
            defer {
                state.pending = [:]
                state.pendingOrder = []
                state.pendingCount = 0
            }
            return state.pendingOrder.compactMap { state.pending[$0] }
        }
        for trace in traces { recordTrace(trace) }
    }

    /// What `trace-record` says at exit about refused requests and spans,
    /// or nil when there were none.
    public func report() -> String? {
        let state = state.withLock { $0 }
        var parts: [String] = []
        let requests = state.refused.values.reduce(0, +)
        if requests > 0 {
            let statuses = state.refused.keys.sorted().map { "\(state.refused[$0]!) × \($0)" }.joined(separator: ", ")
            parts.append("\(requests) request\(requests == 1 ? "" : "s") refused (\(statuses))")
        }
        if state.rejectedSpans > 0 { parts.append("\(state.rejectedSpans) span\(state.rejectedSpans == 1 ? "" : "s") rejected") }
        guard !parts.isEmpty else { return nil }
        return "trace-record: OTLP endpoint: " + parts.joined(separator: ", ") + (state.lastProblem.map { "; last: \($0)" } ?? "")
    }

    /// Spans recorded so far (accepted).
    public var acceptedSpans: Int { state.withLock { $0.spans } }

    private func recordTrace(_ spans: [OTLPSpan]) {
        for (timestamp, payload) in OTLPMapping.events(from: spans) { record(timestamp, payload) }
    }

    private func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// An error answer: a `google.rpc.Status` (code 3, invalid argument;
    /// 8 when too large) in the request's encoding.
    static func error(status: Int, message: String, json: Bool) -> Response {
        let code = status == 413 ? 8 : 3
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: ["code": code, "message": message], options: [.sortedKeys])) ?? Data()
            return Response(status: status, contentType: "application/json", body: data)
        }
        var body = Data([0x08, UInt8(code), 0x12])
        let bytes = Array(message.utf8.prefix(1000))
        var length = bytes.count
        while length >= 0x80 {
            body.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        body.append(UInt8(length))
        body.append(contentsOf: bytes)
        return Response(status: status, contentType: "application/x-protobuf", body: body)
    }
}
