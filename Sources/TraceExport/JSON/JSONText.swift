import TraceAnalysis

/// Deterministic JSON text for the exporters, written by the analysis
/// renderers' own writer (``ValueText``): strings escaped as RFC 8259
/// requires, numbers in their shortest round-trip form, non-finite numbers
/// as `null`.
enum JSONText {
    /// Appends a JSON string literal.
    static func string(_ s: String, to out: inout String) { ValueText.writeJSONString(s, to: &out) }

    /// A JSON string literal.
    static func string(_ s: String) -> String {
        var out = ""
        string(s, to: &out)
        return out
    }

    /// The JSON text of a number (`null` when not finite).
    static func number(_ d: Double) -> String { d.isFinite ? d.description : "null" }

    /// Appends the JSON text of an analysis value.
    static func value(_ v: AnalysisValue, to out: inout String) { ValueText.writeJSON(v, to: &out) }

    /// The JSON text of an analysis value.
    static func value(_ v: AnalysisValue) -> String { ValueText.json(v) }
}
