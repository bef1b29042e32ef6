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

/// Group totals as the views give them: the sum of the members' known
/// values, with the number of members whose value is unknown beside it (a
/// total is `nil` only when there are members and none is known, or when
/// the sum overflows). Absent stays distinct from zero: an empty group sums
/// to 0 with no unknowns, a group of unknowns to `nil`.
struct KnownSum {
    /// The total (see the type's description).
    var total: AnalysisValue
    /// The members whose value was unknown.
    var unknown: Int

    /// The known sum of integers.
    static func ints(_ values: [Int64?]) -> KnownSum {
        var total: Int64 = 0
        var unknown = 0
        var overflow = false
        for value in values {
            guard let value else {
                unknown += 1
                continue
            }
            let (sum, overflowed) = total.addingReportingOverflow(value)
            if overflowed { overflow = true } else { total = sum }
        }
        let known = values.isEmpty || unknown < values.count
        return KnownSum(total: .int(known && !overflow ? total : nil), unknown: unknown)
    }

    /// The known sum of doubles, exactly rounded once; a non-finite value
    /// counts as unknown.
    static func doubles(_ values: [Double?]) -> KnownSum {
        var sum = ExactSum()
        var unknown = 0
        for value in values {
            guard let value, value.isFinite else {
                unknown += 1
                continue
            }
            sum.add(value)
        }
        let known = values.isEmpty || unknown < values.count
        return KnownSum(total: .double(known ? sum.approximation : nil), unknown: unknown)
    }

    /// The known sum of a column's values: integers when every known value
    /// is an integer, doubles otherwise; `null` and non-numbers are unknown.
    static func values(_ values: [AnalysisValue]) -> KnownSum {
        let numbers = values.filter(\.isNumber)
        if numbers.allSatisfy({ $0.intValue != nil }) {
            return ints(values.map { $0.isNumber ? $0.intValue : nil })
        }
        return doubles(values.map { $0.isNumber ? $0.doubleValue : nil })
    }

    /// The unknown count as a value.
    var unknownValue: AnalysisValue { .int(Int64(unknown)) }
}

/// The `run_id` of rows that pool every run (`--pool-runs`): `*`.
public let pooledRunID = "*"

/// Orders strings by their UTF-8 bytes: stable across platforms and locales.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
