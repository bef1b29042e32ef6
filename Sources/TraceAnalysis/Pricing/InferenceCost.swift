/// The cost of inferences: the provider's reported cost, else the price
/// table's.
///
/// Per inference:
/// - the provider's `cost_usd` when recorded and finite (it wins over the
///   table; a non-finite reported cost counts as not reported);
/// - else, when the table prices the inference's model (see
///   ``InferenceSpan/model``), ``ModelPrice/picoUSD(promptTokens:completionTokens:cachedTokens:)``
///   divided by 10¹², a single correctly rounded division, so a cost is the
///   double nearest its exact decimal value;
/// - else `nil`: unknown, never 0. The model is then listed as unpriced.
///
/// Sums over several inferences (``CostSum``): ``CostSum/usd`` is `nil` when
/// any part is `nil`; ``CostSum/knownUSD`` is the group total of the views,
/// the sum of the known parts with ``CostSum/unknownCount`` beside it.
public enum InferenceCost {
    /// The cost of one inference in USD, or `nil` when unknown.
    public static func usd(of span: InferenceSpan, prices: PriceTable) -> Double? {
        var sum = CostSum()
        sum.add(span, prices: prices)
        return sum.usd
    }

    /// The cost of one call given by its fields (what a timeline holds), or
    /// `nil` when unknown: the same rule as ``usd(of:prices:)``.
    public static func usd(
        providerCostUSD: Double?, model: String?, promptTokens: Int64?, completionTokens: Int64?,
        cachedTokens: Int64?, prices: PriceTable
    ) -> Double? {
        if let cost = providerCostUSD, cost.isFinite { return cost }
        guard let model, let price = prices.price(for: model),
              let amount = price.picoUSD(promptTokens: promptTokens, completionTokens: completionTokens, cachedTokens: cachedTokens)
        else { return nil }
        return Double(amount) / 1e12
    }

    /// Whether the inference's cost needs the table and the table lacks its
    /// model: no finite provider cost and a model the table does not list.
    static func isUnpriced(_ span: InferenceSpan, prices: PriceTable) -> Bool {
        isUnpriced(model: span.model, providerCostUSD: span.providerCostUSD, prices: prices)
    }

    /// ``isUnpriced(_:prices:)`` of a call given by its fields.
    static func isUnpriced(model: String?, providerCostUSD: Double?, prices: PriceTable) -> Bool {
        if let cost = providerCostUSD, cost.isFinite { return false }
        guard let model else { return false }
        return prices.price(for: model) == nil
    }
}

/// A running total of inference costs: table-priced parts are summed exactly
/// as integers (10⁻¹² USD), provider-reported parts as an exact sum of
/// doubles; the total is `nil` as soon as one part is unknown.
public struct CostSum: Sendable {
    private var pico: Int64 = 0
    private var reported = ExactSum()
    private var hasReported = false
    /// Whether a part was unknown (the total is then `nil`).
    public private(set) var hasUnknown = false
    /// How many parts were added.
    public private(set) var count = 0

    /// An empty (zero) sum.
    public init() {}

    /// Adds one inference's cost.
    public mutating func add(_ span: InferenceSpan, prices: PriceTable) {
        add(providerCostUSD: span.providerCostUSD, model: span.model, promptTokens: span.promptTokens,
            completionTokens: span.completionTokens, cachedTokens: span.cachedTokens, prices: prices)
    }

    /// Adds one call's cost, given by its fields: the same rule as
    /// ``add(_:prices:)``.
    public mutating func add(
        providerCostUSD: Double?, model: String?, promptTokens: Int64?, completionTokens: Int64?,
        cachedTokens: Int64?, prices: PriceTable
    ) {
        count += 1
        if let cost = providerCostUSD, cost.isFinite {
            reported.add(cost)
            hasReported = true
            return
        }
        guard let model, let price = prices.price(for: model),
              let amount = price.picoUSD(
                promptTokens: promptTokens, completionTokens: completionTokens,
                cachedTokens: cachedTokens)
        else {
            hasUnknown = true
            unknownCount += 1
            return
        }
        let (sum, overflow) = pico.addingReportingOverflow(amount)
        if overflow {
            hasUnknown = true
            unknownCount += 1
        } else {
            pico = sum
        }
    }

    /// How many parts were unknown (unpriced, or too large to add).
    public private(set) var unknownCount = 0

    /// The sum of the known parts in USD: `nil` only when there were parts
    /// and none was known. Zero parts sum to 0.
    public var knownUSD: Double? {
        guard count == 0 || unknownCount < count else { return nil }
        let table = Double(pico) / 1e12
        guard hasReported else { return table }
        var total = reported
        total.add(table)
        return total.approximation
    }

    /// The total in USD; `nil` when any part is unknown. Zero parts sum to 0.
    public var usd: Double? {
        guard !hasUnknown else { return nil }
        let table = Double(pico) / 1e12
        guard hasReported else { return table }
        var total = reported
        total.add(table)
        return total.approximation
    }
}
