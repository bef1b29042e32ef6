import Testing
@testable import TraceAnalysis

/// ``IntervalIndex`` (how the `ipw` set finds the windows holding each
/// reading, in any time order) finds what a scan of every interval finds.
@Suite struct IntervalIndexTests {
    @Test func findsWhatAScanFinds() {
        var state: UInt64 = 12345
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for round in 0..<50 {
            let count = 1 + next(200)
            let intervals: [(low: Double, high: Double)] = (0..<count).map { _ in
                let low = Double(next(1000))
                switch next(10) {
                case 0: return (low, low)                                  // a point
                case 1: return (low, low - 1)                              // empty: holds nothing
                case 2: return (0, 1000)                                   // everything
                default: return (low, low + Double(next(100)))
                }
            }
            let index = IntervalIndex(intervals)
            for _ in 0..<200 {
                let x = Double(next(1100)) - 50 + (next(2) == 0 ? 0 : 0.5)
                var found: [Int] = []
                index.forEach(holding: x) { found.append($0) }
                let expected = intervals.indices.filter { intervals[$0].low <= x && x <= intervals[$0].high }
                #expect(found.sorted() == expected, "round \(round), x \(x)")
            }
            var none: [Int] = []
            index.forEach(holding: .nan) { none.append($0) }
            #expect(none.isEmpty)
        }
    }
}
