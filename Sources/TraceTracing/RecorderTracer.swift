import Synchronization
import TraceLog
import TraceRecorder
import Tracing

/// A `Tracer` of apple/swift-distributed-tracing that records spans named
/// and attributed by the OpenTelemetry GenAI conventions into a
/// ``TraceRecorder/Recorder``: a Swift agent that uses `withSpan` is
/// recorded without new code.
///
/// ```swift
/// let tracer = RecorderTracer(recorder)
/// InstrumentationSystem.bootstrap(tracer)          // or call tracer.withSpan directly
/// try await withSpan("invoke_agent weather") { _ in
///     try await withSpan("chat gpt-4o", ofKind: .client) { span in
///         span.attributes["gen_ai.request.model"] = "gpt-4o"
///         span.attributes["gen_ai.usage.input_tokens"] = 812
///     }
///     try await withSpan("execute_tool get_weather") { _ in … }
/// }
/// ```
///
/// A span's kind is decided when it starts, from its name (the GenAI span
/// names begin with the operation): `chat`, `text_completion`,
/// `generate_content` → an inference; `execute_tool` → a tool call (its
/// name the rest of the span name); `invoke_agent`, `invoke_workflow`, or
/// any span without a parent → a query; anything else → a mark. The
/// attributes are read when it ends (`gen_ai.request.model`,
/// `gen_ai.response.model`, `gen_ai.usage.*`, `gen_ai.tool.name`,
/// `gen_ai.conversation.id`, …, as `import --from otlp` reads them). A tool
/// call's parent is the inference it runs in, else its query's latest
/// inference. An error recorded on a span (`recordError`, or `withSpan`'s
/// body throwing) or an error status ends it failed, with the error.
public struct RecorderTracer: Tracer {
    /// Where spans are recorded.
    public let recorder: Recorder

    /// Records into `recorder`.
    public init(_ recorder: Recorder) {
        self.recorder = recorder
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> RecorderSpan {
        let parentContext = context()
        let parent = parentContext.agentTraceSpan
        let role = RecorderSpanState.role(operationName, hasParent: parent != nil)
        let id = RecorderSpanState.newSpanID()
        let start = recorder.monotonic(Int64(clamping: instant().nanosecondsSinceEpoch))
        let state = RecorderSpanState(
            spanID: id, role: role, name: operationName, parent: parent,
            query: role == .query ? RecorderSpanState.QueryState(id: id) : parent?.query, start: start)
        var spanContext = parentContext
        spanContext.agentTraceSpan = state
        state.recordStart(into: recorder)
        return RecorderSpan(context: spanContext, state: state, recorder: recorder)
    }

    /// Flushes the recorder.
    public func forceFlush() { try? recorder.flush() }

    /// No propagation across processes: `trace-record` joins processes by
    /// their socket, and logs by their run id.
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}

    /// See ``extract(_:into:using:)``.
    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {}
}

/// A span of a ``RecorderTracer``.
public struct RecorderSpan: Tracing.Span {
    public let context: ServiceContext
    let state: RecorderSpanState
    let recorder: Recorder

    public var operationName: String {
        get { state.mutable.withLock { $0.name } }
        nonmutating set { state.mutable.withLock { $0.name = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.mutable.withLock { $0.attributes } }
        nonmutating set { state.mutable.withLock { $0.attributes = newValue } }
    }

    public var isRecording: Bool { state.mutable.withLock { !$0.ended } }

    public func setStatus(_ status: SpanStatus) { state.mutable.withLock { $0.status = status } }

    public func addEvent(_ event: SpanEvent) {}

    public func recordError(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> some TracerInstant) {
        state.mutable.withLock { $0.error = $0.error ?? "\(type(of: error)): \(error)" }
    }

    public func addLink(_ link: SpanLink) {}

    public func end(at instant: @autoclosure () -> some TracerInstant) {
        let end = recorder.monotonic(Int64(clamping: instant().nanosecondsSinceEpoch))
        state.recordEnd(into: recorder, at: end)
    }
}

extension Recorder {
    /// A wall-clock time (ns since the epoch) on the recorder's clock.
    func monotonic(_ wall: Int64) -> Int64 {
        anchor.monotonic(wall: wall)
    }
}

/// The ``RecorderSpan`` a context is in.
private enum AgentTraceSpanKey: ServiceContextKey {
    typealias Value = RecorderSpanState
}

extension ServiceContext {
    /// The span of a ``RecorderTracer`` this context is in.
    var agentTraceSpan: RecorderSpanState? {
        get { self[AgentTraceSpanKey.self] }
        set { self[AgentTraceSpanKey.self] = newValue }
    }
}
