import Foundation
import Testing
@testable import TraceAnalysis

@Suite struct PricingTableTests {
    /// `prices/default-prices.json` at the repository root.
    static var defaultFileBytes: [UInt8]? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return FileManager.default.contents(atPath: root.appendingPathComponent("prices/default-prices.json").path)
            .map { Array($0) }
    }

    @Test func embeddedDefaultEqualsTheFileBytes() throws {
        let bytes = try #require(Self.defaultFileBytes)
        #expect(Array(PriceTable.defaultJSON.utf8) == bytes)
        #expect(PriceTable.default.identity == PriceTableIdentity(
            fileName: "default-prices.json", version: "2025-01-31", sha256: ContentDigest.hex(bytes)))
        #expect(PriceTable.default.asOf == "2025-01-31")
        #expect(PriceTable.default.source?.contains("openai.com/api/pricing") == true)
        #expect(PriceTable.default.price(for: "gpt-4o") == ModelPrice(
            inputPicoUSDPerToken: 2_500_000, outputPicoUSDPerToken: 10_000_000, cachedInputPicoUSDPerToken: 1_250_000))
        #expect(PriceTable.default.price(for: "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo")?.cachedInputPicoUSDPerToken == nil)
        #expect(PriceTable.default.price(for: "GPT-4o") == nil)
        #expect(PriceTable.default.modelNames.first == "claude-3-5-haiku-20241022")
    }

    @Test func pricesAreReadAsExactDecimals() {
        #expect(ModelPrice.micros("2.50") == 2_500_000)
        #expect(ModelPrice.micros("0.075") == 75_000)
        #expect(ModelPrice.micros("10") == 10_000_000)
        #expect(ModelPrice.micros("1.5e-1") == 150_000)
        #expect(ModelPrice.micros("1E2") == 100_000_000)
        #expect(ModelPrice.micros("0.000001") == 1)
        #expect(ModelPrice.micros("0.0000010") == 1)
        #expect(ModelPrice.micros("0.0000001") == nil)
        #expect(ModelPrice.micros("-1") == nil)
        #expect(ModelPrice.micros("1e30") == nil)
        #expect(ModelPrice(inputUSDPerMTok: "0.15", outputUSDPerMTok: "0.6")?.outputPicoUSDPerToken == 600_000)
    }

    @Test func identityNamesFileVersionAndHash() throws {
        let json = #"{"version": "7", "models": {"m": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2}}}"#
        let table = try PriceTable(bytes: Array(json.utf8), fileName: "mine.json")
        #expect(table.identity.fileName == "mine.json")
        #expect(table.identity.version == "7")
        #expect(table.identity.sha256 == ContentDigest.hex(json))
        #expect(table.identity.description == "mine.json@7 sha256:\(ContentDigest.hex(json))")
        // One more byte, another hash.
        let spaced = try PriceTable(bytes: Array((json + " ").utf8), fileName: "mine.json")
        #expect(spaced.identity.sha256 != table.identity.sha256)
        #expect(spaced.price(for: "m") == table.price(for: "m"))
    }

    @Test func badTablesAreRejectedWithTheFileName() {
        func error(_ json: String) -> String? {
            do {
                _ = try PriceTable(bytes: Array(json.utf8), fileName: "p.json")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error("{") == "p.json: malformed JSON: line 1, column 2: expected a member name")
        #expect(error("{\"models\": {\"a\":\n  {\"input_usd_per_mtok\": x}}}") == "p.json: malformed JSON: line 2, column 26: expected a value")
        #expect(error(#"{"models": []}"#) == #"p.json: not a price table: "models" must be an object"#)
        #expect(error(#"{"models": {"m": {"input_usd_per_mtok": 1}}}"#)
            == #"p.json: not a price table: model "m" lacks "output_usd_per_mtok""#)
        #expect(error(#"{"models": {"m": {"input_usd_per_mtok": "1", "output_usd_per_mtok": 1}}}"#)
            == #"p.json: not a price table: model "m": "input_usd_per_mtok" must be a number"#)
        #expect(error(#"{"models": {"m": {"input_usd_per_mtok": 0.0000001, "output_usd_per_mtok": 1}}}"#)
            == #"p.json: not a price table: model "m": "input_usd_per_mtok" must be a non-negative price with at most 6 decimal places (got 0.0000001)"#)
        let twice = #"{"models": {"m": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 1}, "m": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 1}}}"#
        #expect(error(twice) == #"p.json: not a price table: model "m" is listed twice"#)
        #expect(error(#"{"models": {"\u00e9\ud83d\ude00": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 1}}}"#) == nil)
    }
}
