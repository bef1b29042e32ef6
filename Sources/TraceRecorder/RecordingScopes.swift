#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TraceLog

/// The query and model call a piece of work runs in, carried by task-local
/// values: what ``Recorder/inference(model:spanID:_:)`` and
/// ``Recorder/tool(_:arguments:spanID:_:)`` attach to without being told.
public enum RecordingContext {
    /// The innermost ``Recorder/query(_:text:workloadType:labels:_:)`` being recorded.
    @TaskLocal public static var query: QueryScope?
    /// The span of the innermost ``Recorder/inference(model:spanID:_:)``
    /// being recorded.
    @TaskLocal public static var inferenceSpanID: String?

    /// The id of the query being recorded, if any.
    public static var queryID: String? { query?.id }

    /// The parent of a tool call made now: the model call it runs inside,
    /// else the query's latest model call (the one that asked for it).
    public static var toolParentSpanID: String? { inferenceSpanID ?? query?.latestInference }

    /// A new id: `PREFIX<pid>-<n>`, unique within the machine's live processes.
    static func newID(_ prefix: String) -> String {
        "\(prefix)\(getpid())-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
    }

    private static let counter = Atomic<UInt64>(0)
}

/// The outcome of a query being recorded, set by its body
/// (``Recorder/query(_:text:workloadType:labels:_:)``).
public final class QueryScope: Sendable {
    /// The query's id.
    public let id: String
    private let end: Mutex<QueryEnd>
    private let latest = Mutex<String?>(nil)

    /// The span id of the latest model call started in this query: the
    /// parent of tool calls made after it.
    public var latestInference: String? { latest.withLock { $0 } }

    func started(inference spanID: String) { latest.withLock { $0 = spanID } }

    init(id: String) {
        self.id = id
        end = Mutex(QueryEnd(queryID: id, status: "completed"))
    }

    /// The agent's final response.
    public func response(_ text: String) { end.withLock { $0.response = text } }
    /// Whether the answer was judged correct.
    public func resolved(_ value: Bool = true) { end.withLock { $0.resolved = value } }
    /// A graded outcome.
    public func score(_ value: Double) { end.withLock { $0.score = value } }
    /// How the query ended (`completed` unless set, `failed` when the body throws).
    public func status(_ value: String) { end.withLock { $0.status = value } }

    func finish(error: (any Error)?) -> QueryEnd {
        end.withLock { end in
            if let error {
                end.status = "failed"
                end.error = RecordingScopes.describe(error)
            }
            return end
        }
    }
}

/// A model call being recorded: its usage, set by its body
/// (``Recorder/inference(model:spanID:_:)``).
public final class InferenceScope: Sendable {
    /// The call's span id.
    public let spanID: String
    /// The query it belongs to.
    public let queryID: String?
    private let end: Mutex<InferenceEnd>

    init(spanID: String, queryID: String?, model: String?) {
        self.spanID = spanID
        self.queryID = queryID
        end = Mutex(InferenceEnd(spanID: spanID, queryID: queryID, model: model, status: "ok"))
    }

    /// Token counts the provider reported; leave unknown ones nil (absent is not zero).
    public func tokens(prompt: Int64? = nil, completion: Int64? = nil, cached: Int64? = nil, reasoning: Int64? = nil) {
        end.withLock {
            $0.promptTokens = prompt
            $0.completionTokens = completion
            $0.cachedTokens = cached
            $0.reasoningTokens = reasoning
        }
    }
    /// The cost the provider reported, in US dollars.
    public func cost(usd: Double) { end.withLock { $0.costUSD = usd } }
    /// The model the provider routed the call to.
    public func routedModel(_ name: String) { end.withLock { $0.routedModel = name } }
    /// Seconds until the first token arrived.
    public func timeToFirstToken(seconds: Double) { end.withLock { $0.timeToFirstTokenSeconds = seconds } }
    /// Why generation stopped (`stop`, `length`, `tool_calls`).
    public func stopReason(_ text: String) { end.withLock { $0.stopReason = text } }
    /// The call's status (`ok` unless set, `error` when the body throws).
    public func status(_ value: String) { end.withLock { $0.status = value } }

    func finish(error: (any Error)?) -> InferenceEnd {
        end.withLock { end in
            if let error {
                end.status = "error"
                end.error = RecordingScopes.describe(error)
            }
            return end
        }
    }
}

/// A tool call being recorded (``Recorder/tool(_:arguments:spanID:_:)``).
public final class ToolScope: Sendable {
    /// The call's span id.
    public let spanID: String
    /// The model call that asked for it, if known.
    public let parentSpanID: String?
    private let end: Mutex<ToolEnd>

    init(spanID: String, queryID: String?, name: String, parent: String?) {
        self.spanID = spanID
        parentSpanID = parent
        end = Mutex(ToolEnd(spanID: spanID, queryID: queryID, tool: name, ok: true))
    }

    /// The size of the tool's output in bytes.
    public func outputBytes(_ count: Int64) { end.withLock { $0.outputBytes = count } }
    /// Marks the call failed without throwing.
    public func fail(_ error: String) {
        end.withLock {
            $0.ok = false
            $0.error = error
        }
    }

    func finish(error: (any Error)?) -> ToolEnd {
        end.withLock { end in
            if let error {
                end.ok = false
                end.error = RecordingScopes.describe(error)
            }
            return end
        }
    }
}

enum RecordingScopes {
    /// An error as it is recorded: `TypeName: description`.
    static func describe(_ error: any Error) -> String { "\(type(of: error)): \(error)" }
}
