/// Order statistics of integer samples without a full sort.
enum OrderStatistics {
    /// The value at position `k` (0-based) of `values` sorted ascending,
    /// found by quickselect (expected O(n), deterministic pivots); the same
    /// value `values.sorted()[k]` gives. `k` must be a valid index.
    static func select<Value: FixedWidthInteger>(_ k: Int, in values: [Value]) -> Value {
        precondition(values.indices.contains(k), "order statistic out of range")
        var values = values
        var low = 0
        var high = values.count - 1
        while low < high {
            // Median of three as the pivot value.
            let mid = low + (high - low) / 2
            let a = values[low], b = values[mid], c = values[high]
            let pivot = max(min(a, b), min(max(a, b), c))
            // Hoare partition: [low, j] <= pivot <= [j + 1, high].
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return values[k]
            }
        }
        return values[k]
    }

    /// The sorted, duplicate-free union of two ascending arrays.
    static func mergeUnique(_ a: [Int64], _ b: [Int64]) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            let next: Int64
            if j == b.count || (i < a.count && a[i] <= b[j]) {
                next = a[i]
                i += 1
            } else {
                next = b[j]
                j += 1
            }
            if result.last != next { result.append(next) }
        }
        return result
    }

    /// The index of the first value of ascending `values` above `value`
    /// (`values.count` when none is).
    static func firstIndex(in values: [Int64], above value: Int64) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The index of the first value of ascending `values` at or above
    /// `value` (`values.count` when none is).
    static func firstIndex(in values: [Int64], atOrAbove value: Int64) -> Int {
        value == .min ? 0 : firstIndex(in: values, above: value - 1)
    }
}
