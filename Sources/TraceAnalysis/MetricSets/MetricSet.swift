/// A named, versioned definition of metrics computed from one run's events.
///
/// A metric set is pure: the same events always give the same result, with
/// no clock reads and no dependence on dictionary order.
public protocol MetricSet: Sendable {
    /// The set's name and version.
    static var identity: MetricSetIdentity { get }

    /// Analyses one run's events (in record order).
    func analyze(_ run: RunEvents) -> AnalysisResult
}

extension MetricSet {
    /// The set's name and version (the same as ``MetricSet/identity``, usable
    /// on an `any MetricSet` value).
    public var identity: MetricSetIdentity { Self.identity }
}
