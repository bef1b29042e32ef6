import Testing
@testable import TraceAnalysis

@Suite struct ExactMeanTests {
    @Test func matchesPythonStatisticsMeanWhereNaiveSummationDiffers() {
        // Expected values are Python's statistics.mean; the naive mean differs.
        let cases: [([Double], Double, Double)] = [
            ([0.1, 0.2, 0.3], 0.2, 0.20000000000000004),
            ([1e16, 1, 1], 3333333333333334.0, 3333333333333333.5),
            (Array(repeating: 0.1, count: 10), 0.1, 0.09999999999999999),
            ([312.7, 298.1, 305.3], 305.3666666666667, 305.3666666666666),
        ]
        for (values, exact, naive) in cases {
            #expect(values.reduce(0, +) / Double(values.count) == naive)
            #expect(exactMean(values) == exact)
        }
    }

    @Test func simpleCases() {
        #expect(exactMean([]) == nil)
        #expect(exactMean([5]) == 5)
        #expect(exactMean([100, 200]) == 150)
        #expect(exactMean([-1, 1]) == 0)
        // Ties round to even: (1 + (1 + 2^-52)) / 2 = 1 + 2^-53, halfway.
        #expect(exactMean([1, 1 + 0x1p-52]) == 1)
        #expect(exactMean([1 + 0x1p-52, 1 + 0x1p-51]) == 1 + 0x1p-51)
    }
}
