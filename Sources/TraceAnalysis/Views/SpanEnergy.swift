/// The GPU energy attributed to a span, as some energy engine computed it.
///
/// Views take energy through this small seam so that any attribution can be
/// plugged in (the `default` set's exact attribution, a per-turn value from
/// a metric set's rows, a test table). `nil` means unknown.
public struct SpanEnergy: Sendable {
    /// The lookup.
    private let lookup: @Sendable (SpanReference) -> Double?
    /// The CPU energy and the energy flags of a span, when known.
    private let details: @Sendable (SpanReference) -> (cpuJoules: Double?, flags: [String])

    /// Creates a source from a lookup; it must be pure (the same reference
    /// always gives the same value).
    public init(_ lookup: @escaping @Sendable (SpanReference) -> Double?) {
        self.lookup = lookup
        details = { _ in (nil, []) }
    }

    /// Creates a source of GPU energy (`lookup`) and of CPU energy and
    /// flags (`details`: the flags as `DOMAIN:FLAG`); both must be pure.
    public init(
        _ lookup: @escaping @Sendable (SpanReference) -> Double?,
        details: @escaping @Sendable (SpanReference) -> (cpuJoules: Double?, flags: [String])
    ) {
        self.lookup = lookup
        self.details = details
    }

    /// The CPU energy of a span in joules, or `nil` when unknown or not finite.
    public func cpuJoules(_ span: SpanReference) -> Double? {
        guard let value = details(span).cpuJoules, value.isFinite else { return nil }
        return value
    }

    /// What is uncertain about a span's energy: the flags of the turn it is
    /// in, per domain (`gpu:partial_coverage`, …), sorted; empty when none
    /// or unknown.
    public func flags(_ span: SpanReference) -> [String] { details(span).flags }

    /// No energy known for any span: every energy column is `null`.
    public static let unknown = SpanEnergy { _ in nil }

    /// The GPU energy of a span in joules, or `nil` when unknown or not finite.
    public func gpuJoules(_ span: SpanReference) -> Double? {
        guard let value = lookup(span), value.isFinite else { return nil }
        return value
    }
}
