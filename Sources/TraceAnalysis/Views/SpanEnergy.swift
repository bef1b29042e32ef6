/// The GPU energy attributed to a span, as some energy engine computed it.
///
/// Views take energy through this small seam so that any attribution can be
/// plugged in (the `default` set's exact attribution, a per-turn value from
/// a metric set's rows, a test table). `nil` means unknown.
public struct SpanEnergy: Sendable {
    /// The lookup.
    private let lookup: @Sendable (SpanReference) -> Double?

    /// Creates a source from a lookup; it must be pure (the same reference
    /// always gives the same value).
    public init(_ lookup: @escaping @Sendable (SpanReference) -> Double?) {
        self.lookup = lookup
    }

    /// No energy known for any span: every energy column is `null`.
    public static let unknown = SpanEnergy { _ in nil }

    /// The GPU energy of a span in joules, or `nil` when unknown or not finite.
    public func gpuJoules(_ span: SpanReference) -> Double? {
        guard let value = lookup(span), value.isFinite else { return nil }
        return value
    }
}
