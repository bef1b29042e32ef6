import TraceLog

/// Scoped recording: each helper records a start, runs its body, and
/// records the end — with the error, when the body throws, which it then
/// rethrows — so a span is never left open. Ids are generated unless
/// given; the query and the model call are carried to nested work by
/// task-local values (``RecordingContext``), so the body of a query needs
/// no ids at all:
///
/// ```swift
/// try await recorder.query(text: task) { q in
///     let reply = try await recorder.inference(model: "gpt-4o") { call in
///         let reply = try await client.chat(task)
///         call.tokens(prompt: reply.promptTokens, completion: reply.completionTokens)
///         return reply
///     }
///     for request in reply.toolCalls {        // parent: the call above
///         try await recorder.tool(request.name) { _ in try await run(request) }
///     }
///     q.response(reply.text)
/// }
/// ```
///
/// Each helper has a synchronous and an `async` form; work started in
/// child tasks (`async let`, task groups) inherits the context.
extension Recorder {
    /// Records one query around `body`.
    ///
    /// - Parameters:
    ///   - id: the query id; generated (`q<pid>-<n>`) when nil.
    ///   - text: the task given to the agent.
    ///   - workloadType: the kind of workload (`agentic` by default).
    ///   - labels: the query's labels (`data_id`, …).
    ///   - body: the query's work; sets the outcome on the ``QueryScope``.
    ///     If it throws, the query ends `failed` with the error.
    public func query<T>(
        _ id: String? = nil, text: String? = nil, workloadType: String? = "agentic", labels: [Label] = [],
        _ body: (QueryScope) throws -> T
    ) rethrows -> T {
        let scope = QueryScope(id: id ?? RecordingContext.newID("q"))
        record(.queryStart(QueryStart(queryID: scope.id, workloadType: workloadType, text: text, labels: labels)))
        do {
            let result = try RecordingContext.$query.withValue(scope) { try body(scope) }
            record(.queryEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.queryEnd(scope.finish(error: error)))
            throw error
        }
    }

    /// Records one query around `body` (the `async` form).
    public func query<T>(
        _ id: String? = nil, text: String? = nil, workloadType: String? = "agentic", labels: [Label] = [],
        isolation: isolated (any Actor)? = #isolation, _ body: (QueryScope) async throws -> T
    ) async rethrows -> T {
        let scope = QueryScope(id: id ?? RecordingContext.newID("q"))
        record(.queryStart(QueryStart(queryID: scope.id, workloadType: workloadType, text: text, labels: labels)))
        do {
            let result = try await RecordingContext.$query.withValue(scope) { try await body(scope) }
            record(.queryEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.queryEnd(scope.finish(error: error)))
            throw error
        }
    }

    /// Records one model call around `body`, in the current query.
    ///
    /// - Parameters:
    ///   - model: the model asked for.
    ///   - spanID: the call's span id; generated (`c<pid>-<n>`) when nil.
    ///   - body: the call; reports usage on the ``InferenceScope``. If it
    ///     throws, the call ends with status `error` and the error.
    public func inference<T>(model: String?, spanID: String? = nil, _ body: (InferenceScope) throws -> T) rethrows -> T {
        let scope = startInference(model: model, spanID: spanID)
        do {
            let result = try RecordingContext.$inferenceSpanID.withValue(scope.spanID) { try body(scope) }
            record(.inferenceEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.inferenceEnd(scope.finish(error: error)))
            throw error
        }
    }

    /// Records one model call around `body` (the `async` form).
    public func inference<T>(
        model: String?, spanID: String? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (InferenceScope) async throws -> T
    ) async rethrows -> T {
        let scope = startInference(model: model, spanID: spanID)
        do {
            let result = try await RecordingContext.$inferenceSpanID.withValue(scope.spanID) { try await body(scope) }
            record(.inferenceEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.inferenceEnd(scope.finish(error: error)))
            throw error
        }
    }

    /// Records one tool call around `body`, in the current query, with the
    /// model call that asked for it as its parent (``RecordingContext/toolParentSpanID``).
    ///
    /// - Parameters:
    ///   - name: the tool's name.
    ///   - arguments: the call's arguments, as text.
    ///   - spanID: the call's span id; generated (`t<pid>-<n>`) when nil.
    ///   - body: the call; may report its output size or a failure on the
    ///     ``ToolScope``. If it throws, the call ends `ok: false` with the error.
    public func tool<T>(
        _ name: String, arguments: String? = nil, spanID: String? = nil, _ body: (ToolScope) throws -> T
    ) rethrows -> T {
        let scope = startTool(name, arguments: arguments, spanID: spanID)
        do {
            let result = try body(scope)
            record(.toolEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.toolEnd(scope.finish(error: error)))
            throw error
        }
    }

    /// Records one tool call around `body` (the `async` form).
    public func tool<T>(
        _ name: String, arguments: String? = nil, spanID: String? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (ToolScope) async throws -> T
    ) async rethrows -> T {
        let scope = startTool(name, arguments: arguments, spanID: spanID)
        do {
            let result = try await body(scope)
            record(.toolEnd(scope.finish(error: nil)))
            return result
        } catch {
            record(.toolEnd(scope.finish(error: error)))
            throw error
        }
    }

    private func startInference(model: String?, spanID: String?) -> InferenceScope {
        let query = RecordingContext.query
        let scope = InferenceScope(spanID: spanID ?? RecordingContext.newID("c"), queryID: query?.id, model: model)
        query?.started(inference: scope.spanID)
        record(.inferenceStart(InferenceStart(spanID: scope.spanID, queryID: scope.queryID, model: model)))
        return scope
    }

    private func startTool(_ name: String, arguments: String?, spanID: String?) -> ToolScope {
        let queryID = RecordingContext.queryID
        let scope = ToolScope(
            spanID: spanID ?? RecordingContext.newID("t"), queryID: queryID, name: name,
            parent: RecordingContext.toolParentSpanID)
        record(.toolStart(ToolStart(
            spanID: scope.spanID, queryID: queryID, tool: name, parentSpanID: scope.parentSpanID, arguments: arguments)))
        return scope
    }
}
