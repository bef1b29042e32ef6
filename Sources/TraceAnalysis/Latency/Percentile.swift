/// Nearest-rank percentiles.
///
/// For `n` values sorted ascending (`nil` and NaN values excluded), the
/// p-th percentile is the value at 1-based rank `ceil(p / 100 × n)`, with
/// rank at least 1. It is always one of the values (no interpolation), so
/// `p50` of `[1, 2, 3, 4]` is 2 and `p95` of 1…20 is 19. The rank is
/// computed exactly in integers from `p` given in hundredths of a percent,
/// so 95 × 20 / 100 is exactly 19.
public enum Percentile {
    /// The nearest-rank p-th percentile (`0 < p <= 100`) of the known
    /// values, or `nil` when there are none.
    public static func nearestRank(_ p: Double, of values: [Double?]) -> Double? {
        let known = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
        guard !known.isEmpty else { return nil }
        let n = Int64(known.count)
        // p in hundredths of a percent, rounded: rank = ceil(p100 × n / 10000).
        let hundredths = Int64((p * 100).rounded())
        let numerator = max(hundredths, 0) * n
        var rank = numerator / 10_000 + (numerator % 10_000 == 0 ? 0 : 1)
        rank = min(max(rank, 1), n)
        return known[Int(rank - 1)]
    }
}
