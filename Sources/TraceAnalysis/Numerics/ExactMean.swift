/// The arithmetic mean of doubles, correctly rounded from the exact sum.
///
/// This matches Python's `statistics.mean`, which sums floats exactly (as
/// fractions) and rounds `sum / n` once, to nearest with ties to even. Naive
/// left-to-right summation can differ in the last bits, or by much more
/// under cancellation (`[1e16, 1, 1]` has mean 3333333333333334, naively
/// 3333333333333333.5).
///
/// Method: the exact sum is kept as a floating-point expansion; a first
/// estimate `q` of the quotient is refined and then checked against the
/// exact midpoints between `q` and its neighbours, whose products with `n`
/// are exact, so the sign tests decide the rounding exactly.
///
/// - Returns: `nil` for an empty list.
func exactMean(_ values: [Double]) -> Double? {
    var sum = ExactSum()
    for value in values { sum.add(value) }
    return exactMean(sum: sum, count: values.count)
}

/// The mean of `count` values whose exact sum is `sum` (see
/// ``exactMean(_:)``); `nil` when `count` is 0.
func exactMean(sum: ExactSum, count: Int) -> Double? {
    guard count > 0 else { return nil }
    let n = Double(count)

    /// The sign of `sum - n * (q + offset)`, exactly.
    func residualSign(_ q: Double, offset: Double) -> Int {
        var residual = sum
        residual.addProduct(-q, n)
        if offset != 0 { residual.addProduct(-offset, n) }
        return residual.sign
    }

    var q = sum.approximation / n
    guard q.isFinite else { return q }
    // Refine towards the exact quotient.
    for _ in 0..<3 {
        var residual = sum
        residual.addProduct(-q, n)
        let next = q + residual.approximation / n
        if next == q { break }
        q = next
    }
    // Move to the double whose rounding interval holds the exact quotient.
    for _ in 0..<64 {
        let up = q.nextUp
        let halfUp = (up - q) / 2
        let above = residualSign(q, offset: halfUp)
        if above > 0 || (above == 0 && q.significandBitPattern & 1 == 1) {
            q = up
            continue
        }
        let down = q.nextDown
        let halfDown = (q - down) / 2
        let below = residualSign(q, offset: -halfDown)
        if below < 0 || (below == 0 && q.significandBitPattern & 1 == 1) {
            q = down
            continue
        }
        break
    }
    return q
}
