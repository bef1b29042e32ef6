/// Arithmetic on raw energy counters that wrap to zero.
public enum EnergyCounter {
    /// The energy spent between two readings of a counter that wraps at
    /// `wrap` joules: `current - previous`, or, when the counter went
    /// backwards, the distance through the wrap. Nil when the counter went
    /// backwards and its wrap range is unknown (a reset, not a wrap).
    public static func delta(from previous: Double, to current: Double, wrap: Double?) -> Double? {
        if current >= previous { return current - previous }
        guard let wrap, wrap > 0, previous <= wrap else { return nil }
        return wrap - previous + current
    }
}
