/// A running sum with Neumaier compensation, so that adding many small
/// pieces loses (almost) nothing to rounding.
///
/// Every total of the attribution engine is such a sum over the same pieces,
/// which is what makes its conservation identities hold to far better than
/// 1e-9 relative.
struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0

    /// Adds one term.
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The compensated total.
    var value: Double { sum + compensation }
}
