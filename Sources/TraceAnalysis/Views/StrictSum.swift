/// Sums where one unknown part makes the total unknown: a partial sum would
/// understate the total, and absent is not zero.
enum StrictSum {
    /// The sum of integers (wrapping never happens at realistic sizes; an
    /// overflow gives `nil`), or `nil` when any is `nil`. Empty sums are 0.
    static func ints(_ values: [Int64?]) -> Int64? {
        var sum = IntAccumulator()
        for value in values { sum.add(value) }
        return sum.sum
    }

    /// ``ints(_:)`` one value at a time.
    struct IntAccumulator {
        private var total: Int64? = 0

        /// Adds a value (`nil` makes the sum `nil`).
        mutating func add(_ value: Int64?) {
            guard let known = total else { return }
            guard let value else {
                total = nil
                return
            }
            let (sum, overflow) = known.addingReportingOverflow(value)
            total = overflow ? nil : sum
        }

        /// The sum so far.
        var sum: Int64? { total }
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
        var sum = Accumulator()
        for value in values { sum.add(value) }
        return sum.sum
    }

    /// ``ints(_:)`` one value at a time.
    struct Accumulator {
        private var total: Int64 = 0
        private var count = 0
        private var unknown = 0
        private var overflow = false

        /// Adds a member's value (`nil`: unknown).
        mutating func add(_ value: Int64?) {
            count += 1
            guard let value else {
                unknown += 1
                return
            }
            let (sum, overflowed) = total.addingReportingOverflow(value)
            if overflowed { overflow = true } else { total = sum }
        }

        /// The known sum of the members so far.
        var sum: KnownSum {
            let known = count == 0 || unknown < count
            return KnownSum(total: .int(known && !overflow ? total : nil), unknown: unknown)
        }
    }

    /// The known sum of doubles, exactly rounded once; a non-finite value
    /// counts as unknown.
    static func doubles(_ values: [Double?]) -> KnownSum {
        var sum = DoubleAccumulator()
        for value in values { sum.add(value) }
        return sum.sum
    }

    /// ``doubles(_:)`` one value at a time.
    struct DoubleAccumulator {
        private var exact = ExactSum()
        private var count = 0
        private var unknown = 0

        /// Adds a member's value (`nil` or not finite: unknown).
        mutating func add(_ value: Double?) {
            count += 1
            guard let value, value.isFinite else {
                unknown += 1
                return
            }
            exact.add(value)
        }

        /// The known sum of the members so far.
        var sum: KnownSum {
            let known = count == 0 || unknown < count
            return KnownSum(total: .double(known ? exact.approximation : nil), unknown: unknown)
        }
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
