import ArgumentParser
import Foundation
import TraceAnalysis
import TraceLog

extension AnalysisView: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }

    public static var allValueStrings: [String] { allForms }
}

extension OutputFormat: ExpressibleByArgument {}

/// The `--prices` option shared by the commands that compute costs.
struct PriceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Price table (JSON: {\"models\": {NAME: {input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok}}}); default: the bundled table.",
        valueName: "file"))
    var prices: String?

    /// The price table to use.
    func load() throws -> PriceTable {
        guard let path = prices else { return .default }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw CommandError("\(path): cannot read the price table: \(exists ? "permission denied" : "no such file")")
        }
        do {
            return try PriceTable(bytes: Array(data), fileName: (path as NSString).lastPathComponent)
        } catch .inFile(_, let problem) {
            throw CommandError("\(path): \(problem)")
        } catch {
            throw CommandError("\(path): \(error)")
        }
    }
}
