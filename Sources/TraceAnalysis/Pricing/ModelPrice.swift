/// One model's list prices, held exactly.
///
/// Prices are written in USD per million tokens (`input_usd_per_mtok` …) and
/// held as integers of 10⁻¹² USD per token (that is, millionths of a dollar
/// per million tokens), read from the decimal text without rounding. So
/// `2.50` is 2 500 000 and `0.075` is 75 000; a price with more than six
/// decimal places is rejected rather than rounded.
public struct ModelPrice: Sendable, Equatable, Hashable {
    /// Price of an uncached input (prompt) token, in 10⁻¹² USD.
    public var inputPicoUSDPerToken: Int64
    /// Price of an output (completion) token, in 10⁻¹² USD.
    public var outputPicoUSDPerToken: Int64
    /// Price of a cached input token, in 10⁻¹² USD; `nil` when the table
    /// gives none (cached tokens are then charged the input price).
    public var cachedInputPicoUSDPerToken: Int64?

    /// Creates a price from exact integer amounts (10⁻¹² USD per token).
    public init(inputPicoUSDPerToken: Int64, outputPicoUSDPerToken: Int64, cachedInputPicoUSDPerToken: Int64? = nil) {
        self.inputPicoUSDPerToken = inputPicoUSDPerToken
        self.outputPicoUSDPerToken = outputPicoUSDPerToken
        self.cachedInputPicoUSDPerToken = cachedInputPicoUSDPerToken
    }

    /// Creates a price from decimal texts in USD per million tokens, e.g.
    /// `ModelPrice(inputUSDPerMTok: "2.50", outputUSDPerMTok: "10")`; `nil`
    /// when a text is not a non-negative decimal with at most six decimal
    /// places (exponents allowed: `1.5e-1`).
    public init?(inputUSDPerMTok: String, outputUSDPerMTok: String, cachedInputUSDPerMTok: String? = nil) {
        guard let input = Self.micros(inputUSDPerMTok), let output = Self.micros(outputUSDPerMTok) else { return nil }
        var cached: Int64?
        if let cachedInputUSDPerMTok {
            guard let value = Self.micros(cachedInputUSDPerMTok) else { return nil }
            cached = value
        }
        self.init(inputPicoUSDPerToken: input, outputPicoUSDPerToken: output, cachedInputPicoUSDPerToken: cached)
    }

    /// Input price in USD per million tokens (for display).
    public var inputUSDPerMTok: Double { Double(inputPicoUSDPerToken) / 1e6 }
    /// Output price in USD per million tokens (for display).
    public var outputUSDPerMTok: Double { Double(outputPicoUSDPerToken) / 1e6 }
    /// Cached input price in USD per million tokens (for display), if given.
    public var cachedInputUSDPerMTok: Double? { cachedInputPicoUSDPerToken.map { Double($0) / 1e6 } }

    /// The price of one inference in 10⁻¹² USD, exactly:
    ///
    ///     (prompt − cached) × input + cached × (cached_input, or input when none) + completion × output
    ///
    /// per token. Cached tokens are counted as part of the prompt (the
    /// OpenAI convention) and clamped to `0...prompt`. Returns `nil` when
    /// the prompt or completion count is unknown (absent is not zero), or
    /// on overflow (beyond about 9.2 million USD).
    public func picoUSD(promptTokens: Int64?, completionTokens: Int64?, cachedTokens: Int64?) -> Int64? {
        guard let prompt = promptTokens, let completion = completionTokens, prompt >= 0, completion >= 0 else { return nil }
        let cached = min(max(cachedTokens ?? 0, 0), prompt)
        let cachedPrice = cachedInputPicoUSDPerToken ?? inputPicoUSDPerToken
        var total: Int64 = 0
        for (count, price) in [(prompt - cached, inputPicoUSDPerToken), (cached, cachedPrice), (completion, outputPicoUSDPerToken)] {
            let (product, overflow) = count.multipliedReportingOverflow(by: price)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return total
    }

    /// A non-negative decimal text (JSON number syntax) times 10⁶, exactly;
    /// `nil` when negative, malformed, too precise or too large.
    static func micros(_ text: String) -> Int64? {
        var mantissa: [UInt8] = []
        var scale = 0  // digits after the point
        var exponent = 0
        var sawPoint = false
        var iterator = Array(text.utf8).makeIterator()
        var pending: UInt8? = iterator.next()
        while let byte = pending, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if (0x30...0x39).contains(byte) {
                mantissa.append(byte - 0x30)
                if sawPoint { scale += 1 }
            } else {
                return nil
            }
            pending = iterator.next()
        }
        guard !mantissa.isEmpty else { return nil }
        if pending != nil {
            var sign = 1
            var digits = 0
            var exponentText = iterator.next()
            if exponentText == UInt8(ascii: "-") || exponentText == UInt8(ascii: "+") {
                if exponentText == UInt8(ascii: "-") { sign = -1 }
                exponentText = iterator.next()
            }
            while let byte = exponentText {
                guard (0x30...0x39).contains(byte), exponent < 1000 else { return nil }
                exponent = exponent * 10 + Int(byte - 0x30)
                digits += 1
                exponentText = iterator.next()
            }
            guard digits > 0 else { return nil }
            exponent *= sign
        }
        // value = mantissa × 10^(exponent − scale); we want value × 10^6.
        var shift = exponent - scale + 6
        while shift < 0, mantissa.count > 1, mantissa.last == 0 {
            mantissa.removeLast()
            shift += 1
        }
        if shift < 0 { return mantissa.allSatisfy({ $0 == 0 }) ? 0 : nil }
        guard shift <= 18 else { return mantissa.allSatisfy({ $0 == 0 }) ? 0 : nil }
        var value: Int64 = 0
        for digit in mantissa + [UInt8](repeating: 0, count: shift) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = times.addingReportingOverflow(Int64(digit))
            guard !sumOverflow else { return nil }
            value = sum
        }
        return value
    }
}
