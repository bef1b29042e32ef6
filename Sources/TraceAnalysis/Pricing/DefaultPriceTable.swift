/// The default price table, embedded as text so the package needs no
/// resource bundle (and builds statically).
///
/// The source of truth is `prices/default-prices.json` at the repository
/// root; this constant holds its exact bytes, and a test fails when the two
/// differ. To change prices, edit the JSON file, then paste its text here
/// unchanged (the hash in every output is of these bytes).
extension PriceTable {
    /// The exact text of `prices/default-prices.json`.
    public static let defaultJSON: String = #"""
{
  "name": "agent-trace default list prices",
  "version": "2025-01-31",
  "as_of": "2025-01-31",
  "source": "Public list prices (standard tier, USD per million tokens) from the providers' pricing pages: openai.com/api/pricing (OpenAI), anthropic.com/pricing (Anthropic), together.ai/pricing (Together AI), groq.com/pricing (Groq).",
  "note": "These are list prices as the package authors believed them to hold on the as_of date, written down without re-checking the pages; they are a starting point, not a quote. Batch, priority, regional and negotiated prices differ, and prices change: override this table with trace-analyze --prices FILE (same format). A cost the provider reported on an inference always wins over this table. cached_input_usd_per_mtok is the price of prompt tokens read from the provider's cache (OpenAI cached input, Anthropic cache read); Anthropic's cache writes (1.25 x input) are not modelled. Model names match the model recorded on the inference exactly.",
  "models": {
    "gpt-4o": {"input_usd_per_mtok": 2.50, "output_usd_per_mtok": 10.00, "cached_input_usd_per_mtok": 1.25},
    "gpt-4o-2024-08-06": {"input_usd_per_mtok": 2.50, "output_usd_per_mtok": 10.00, "cached_input_usd_per_mtok": 1.25},
    "gpt-4o-mini": {"input_usd_per_mtok": 0.15, "output_usd_per_mtok": 0.60, "cached_input_usd_per_mtok": 0.075},
    "gpt-4o-mini-2024-07-18": {"input_usd_per_mtok": 0.15, "output_usd_per_mtok": 0.60, "cached_input_usd_per_mtok": 0.075},
    "o1": {"input_usd_per_mtok": 15.00, "output_usd_per_mtok": 60.00, "cached_input_usd_per_mtok": 7.50},
    "o3-mini": {"input_usd_per_mtok": 1.10, "output_usd_per_mtok": 4.40, "cached_input_usd_per_mtok": 0.55},
    "o3-mini-2025-01-31": {"input_usd_per_mtok": 1.10, "output_usd_per_mtok": 4.40, "cached_input_usd_per_mtok": 0.55},
    "claude-3-5-sonnet-20241022": {"input_usd_per_mtok": 3.00, "output_usd_per_mtok": 15.00, "cached_input_usd_per_mtok": 0.30},
    "claude-3-5-sonnet-latest": {"input_usd_per_mtok": 3.00, "output_usd_per_mtok": 15.00, "cached_input_usd_per_mtok": 0.30},
    "claude-3-5-haiku-20241022": {"input_usd_per_mtok": 0.80, "output_usd_per_mtok": 4.00, "cached_input_usd_per_mtok": 0.08},
    "claude-3-5-haiku-latest": {"input_usd_per_mtok": 0.80, "output_usd_per_mtok": 4.00, "cached_input_usd_per_mtok": 0.08},
    "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo": {"provider": "Together AI", "input_usd_per_mtok": 0.88, "output_usd_per_mtok": 0.88},
    "llama-3.3-70b-versatile": {"provider": "Groq", "input_usd_per_mtok": 0.59, "output_usd_per_mtok": 0.79}
  }
}

"""#

    /// The table shipped with the package: public list prices as of the
    /// date in its `as_of` field, named `default-prices.json`.
    public static let `default`: PriceTable = {
        do {
            return try PriceTable(bytes: Array(defaultJSON.utf8), fileName: "default-prices.json")
        } catch {
            fatalError("the embedded default price table is invalid: \(error)")
        }
    }()
}
