/// How rows are printed: an aligned table for people, CSV or JSON for tools.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns that fit an 80-column terminal (the default); see ``TableRenderer``.
    case table
    /// RFC 4180 CSV; see ``CSVRenderer``.
    case csv
    /// One JSON array of row objects; see ``JSONRenderer``.
    case json

    /// Renders rows in this format, naming the metric set that made them
    /// (CSV text that would start a spreadsheet formula neutralised unless
    /// `csvFormulas`; see ``CSVRenderer``).
    public func render(_ rows: [AnalysisRow], metricSet: MetricSetIdentity, csvFormulas: Bool = false) -> String {
        switch self {
        case .table: TableRenderer().render(rows, metricSet: metricSet)
        case .csv: CSVRenderer(neutralizesFormulas: !csvFormulas).render(rows, metricSet: metricSet)
        case .json: JSONRenderer().render(rows, metricSet: metricSet)
        }
    }
}
