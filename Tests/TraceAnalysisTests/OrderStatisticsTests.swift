import Testing
@testable import TraceAnalysis

@Suite("Order statistics: quickselect and sorted merge")
struct OrderStatisticsTests {
    /// A small deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("select(k) equals sorted()[k] for every k, with and without duplicates")
    func selectMatchesSort() {
        var generator = Generator(state: 42)
        for size in [1, 2, 3, 4, 5, 8, 17, 100, 257] {
            for range: UInt64 in [1, 3, 1000, .max] {
                let values = (0..<size).map { _ in Int64(bitPattern: generator.next() % range) }
                let sorted = values.sorted()
                for k in values.indices {
                    #expect(OrderStatistics.select(k, in: values) == sorted[k], "size \(size), range \(range), k \(k)")
                }
            }
        }
        #expect(OrderStatistics.select(2, in: [5, 4, 3, 2, 1]) == 3)
    }

    @Test("mergeUnique is the sorted, duplicate-free union")
    func mergeUnique() {
        var generator = Generator(state: 7)
        for _ in 0..<50 {
            let a = (0..<Int(generator.next() % 30)).map { _ in Int64(generator.next() % 40) }.sorted()
            let b = (0..<Int(generator.next() % 30)).map { _ in Int64(generator.next() % 40) }.sorted()
            #expect(OrderStatistics.mergeUnique(a, b) == Array(Set(a + b)).sorted())
        }
        #expect(OrderStatistics.mergeUnique([], []) == [])
    }
}
