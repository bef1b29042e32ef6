/// An exact sum of doubles, kept as a nonoverlapping expansion (Shewchuk's
/// grow-expansion with zero elimination, as in Python's `math.fsum`).
///
/// The components are nonoverlapping and in increasing magnitude, so the
/// sign of the sum is the sign of the last nonzero component. Intermediate
/// overflow (magnitudes near `Double.greatestFiniteMagnitude`) is not handled.
struct ExactSum {
    /// The nonoverlapping components, smallest magnitude first.
    private(set) var components: [Double] = []

    /// Creates an empty (zero) sum.
    init() {}

    /// Adds `x` exactly.
    mutating func add(_ x: Double) {
        var x = x
        var kept = 0
        for index in components.indices {
            var y = components[index]
            if abs(x) < abs(y) { swap(&x, &y) }
            let high = x + y
            let low = y - (high - x)
            if low != 0 {
                components[kept] = low
                kept += 1
            }
            x = high
        }
        components.removeSubrange(kept...)
        components.append(x)
    }

    /// Adds the exact product `a * b` (split with a fused multiply-add).
    mutating func addProduct(_ a: Double, _ b: Double) {
        let product = a * b
        let error = (-product).addingProduct(a, b)
        add(product)
        add(error)
    }

    /// The sign of the exact sum: -1, 0 or 1.
    var sign: Int {
        guard let top = components.last(where: { $0 != 0 }) else { return 0 }
        return top < 0 ? -1 : 1
    }

    /// The sum rounded to a double (nearly correctly: within one ulp).
    var approximation: Double {
        components.reversed().reduce(0, +)
    }
}
