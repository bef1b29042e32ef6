/// A versioned table of model list prices, read from JSON.
///
/// Format (unknown keys are ignored, so tables may carry notes):
///
///     {
///       "name": "…", "version": "…", "source": "…", "as_of": "YYYY-MM-DD",
///       "models": {
///         "gpt-4o": {"input_usd_per_mtok": 2.50, "output_usd_per_mtok": 10.00,
///                    "cached_input_usd_per_mtok": 1.25}
///       }
///     }
///
/// `models` is required; each model needs `input_usd_per_mtok` and
/// `output_usd_per_mtok`, and may give `cached_input_usd_per_mtok`. Prices
/// are non-negative JSON numbers read exactly as decimals (see
/// ``ModelPrice``). Model names match exactly (case-sensitive); a name
/// given twice is an error.
///
/// The package ships ``default`` (list prices as of a date, meant to be
/// overridden); `trace-analyze --prices FILE` reads another with
/// ``init(bytes:fileName:)``.
public struct PriceTable: Sendable, Equatable {
    /// The table's file name, version and content hash.
    public let identity: PriceTableIdentity
    /// The table's `source` field (where the prices come from), if any.
    public let source: String?
    /// The table's `as_of` field (the date the prices held), if any.
    public let asOf: String?
    /// The prices by model name.
    private let prices: [String: ModelPrice]

    /// The priced model names, sorted by their UTF-8 bytes.
    public var modelNames: [String] {
        prices.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Reads a table from the exact bytes of a JSON file; `fileName` names
    /// it in ``identity`` and in errors.
    public init(bytes: [UInt8], fileName: String) throws(PriceTableError) {
        let json: PriceJSON
        do {
            json = try PriceJSONParser.parse(bytes)
        } catch {
            throw .inFile(fileName, error)
        }
        func invalid(_ message: String) -> PriceTableError { .inFile(fileName, .invalid(message)) }
        func text(_ key: String) throws(PriceTableError) -> String? {
            switch json[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case .number(let n)?: return n
            default: throw invalid("\"\(key)\" must be a string")
            }
        }
        guard case .object = json else { throw invalid("the top level must be an object") }
        guard case .object(let models)? = json["models"] else { throw invalid("\"models\" must be an object") }
        var prices: [String: ModelPrice] = [:]
        for (name, entry) in models {
            guard case .object = entry else { throw invalid("model \"\(name)\" must be an object") }
            func amount(_ key: String, required: Bool) throws(PriceTableError) -> Int64? {
                switch entry[key] {
                case nil, .null?:
                    if required { throw invalid("model \"\(name)\" lacks \"\(key)\"") }
                    return nil
                case .number(let n)?:
                    guard let value = ModelPrice.micros(n) else {
                        throw invalid("model \"\(name)\": \"\(key)\" must be a non-negative price with at most 6 decimal places (got \(n))")
                    }
                    return value
                default:
                    throw invalid("model \"\(name)\": \"\(key)\" must be a number")
                }
            }
            let price = ModelPrice(
                inputPicoUSDPerToken: try amount("input_usd_per_mtok", required: true) ?? 0,
                outputPicoUSDPerToken: try amount("output_usd_per_mtok", required: true) ?? 0,
                cachedInputPicoUSDPerToken: try amount("cached_input_usd_per_mtok", required: false))
            guard prices.updateValue(price, forKey: name) == nil else { throw invalid("model \"\(name)\" is listed twice") }
        }
        self.prices = prices
        self.source = try text("source")
        self.asOf = try text("as_of")
        self.identity = PriceTableIdentity(fileName: fileName, version: try text("version"), sha256: ContentDigest.hex(bytes))
    }

    /// Creates a table in code (tests); the identity is taken as given, so
    /// the caller names the bytes it stands for.
    public init(identity: PriceTableIdentity, prices: [String: ModelPrice], source: String? = nil, asOf: String? = nil) {
        self.identity = identity
        self.prices = prices
        self.source = source
        self.asOf = asOf
    }

    /// The price of a model, or `nil` when the table does not list it.
    public func price(for model: String) -> ModelPrice? {
        prices[model]
    }
}
