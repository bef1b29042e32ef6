import Foundation
import TraceLog

/// The clock endpoint of a `trace-record` on another host
/// (`--otlp-listen`): `GET /agent-trace/v1/clock` answers the recorder's
/// wall-clock time, so that the recorder beside the agent
/// (`--clock-peer`, ``ClockHandshake``) can measure how far apart the two
/// hosts' clocks are (docs/FORMAT.md, "Clock handshake").
///
/// The answer is JSON: `{"wall_ns":N,"host":"H","run_id":"R"}`, `wall_ns`
/// read as the request is answered, on the clock the recorder stamps its
/// records with.
public struct ClockEndpoint: Sendable {
    /// The path served.
    public static let path = "/agent-trace/v1/clock"

    /// The host's name, sent so that the other side can tell hosts apart.
    public var host: String?
    /// The run recorded.
    public var runID: String
    /// The recorder's wall-clock time now, nanoseconds since the epoch.
    public var now: @Sendable () -> Int64

    /// Creates the endpoint.
    public init(host: String?, runID: String, now: @escaping @Sendable () -> Int64) {
        self.host = host
        self.runID = runID
        self.now = now
    }

    /// The answer to a request for ``path``.
    func response(method: String) -> OTLPCollector.Response {
        guard method == "GET" else {
            return OTLPCollector.Response(
                status: 405, contentType: "application/json", body: Data(#"{"error":"use GET"}"#.utf8))
        }
        var body = #"{"wall_ns":"# + String(now())
        if let host { body += #","host":"# + Self.quoted(host) }
        body += #","run_id":"# + Self.quoted(runID) + "}"
        return OTLPCollector.Response(status: 200, contentType: "application/json", body: Data(body.utf8))
    }

    /// A JSON string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
