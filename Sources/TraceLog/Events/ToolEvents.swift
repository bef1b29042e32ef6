/// The start of a tool call.
public struct ToolStart: Sendable, Equatable {
    /// The call's span identifier.
    public var spanID: String?
    /// The query it belongs to.
    public var queryID: String?
    /// The tool's name.
    public var tool: String?
    /// The span of the inference that asked for this call.
    public var parentSpanID: String?
    /// The call's arguments, as text.
    public var arguments: String?

    /// Creates a tool start.
    public init(
        spanID: String? = nil, queryID: String? = nil, tool: String? = nil, parentSpanID: String? = nil,
        arguments: String? = nil
    ) {
        self.spanID = spanID
        self.queryID = queryID
        self.tool = tool
        self.parentSpanID = parentSpanID
        self.arguments = arguments
    }
}

/// The end of a tool call.
public struct ToolEnd: Sendable, Equatable {
    /// The call's span identifier.
    public var spanID: String?
    /// The query it belongs to.
    public var queryID: String?
    /// The tool's name.
    public var tool: String?
    /// Whether the call succeeded.
    public var ok: Bool?
    /// The error, when it failed.
    public var error: String?
    /// Size of the tool's output in bytes.
    public var outputBytes: Int64?

    /// Creates a tool end.
    public init(
        spanID: String? = nil, queryID: String? = nil, tool: String? = nil, ok: Bool? = nil, error: String? = nil,
        outputBytes: Int64? = nil
    ) {
        self.spanID = spanID
        self.queryID = queryID
        self.tool = tool
        self.ok = ok
        self.error = error
        self.outputBytes = outputBytes
    }
}
