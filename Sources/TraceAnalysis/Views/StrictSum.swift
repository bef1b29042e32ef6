/// Sums where one unknown part makes the total unknown: a partial sum would
/// understate the total, and absent is not zero.
enum StrictSum {
    /// The sum of integers (wrapping never happens at realistic sizes; an
    /// overflow gives `nil`), or `nil` when any is `nil`. Empty sums are 0.
    static func ints(_ values: [Int64?]) -> Int64? {
        var total: Int64 = 0
        for value in values {
            guard let value else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    /// The exact sum of doubles rounded once (within one ulp), or `nil` when
    /// any is `nil` or not finite. Empty sums are 0.
    static func doubles(_ values: [Double?]) -> Double? {
        var sum = ExactSum()
        for value in values {
            guard let value, value.isFinite else { return nil }
            sum.add(value)
        }
        return sum.approximation
    }
}

/// Orders strings by their UTF-8 bytes: stable across platforms and locales.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
