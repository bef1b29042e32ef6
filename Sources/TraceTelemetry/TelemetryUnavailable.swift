/// Why a telemetry source could not be opened, in words that name the fix.
///
/// A recorder that cannot open a source reports this and goes on without it.
public struct TelemetryUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source's kind (`rapl`, `nvml`, `proc`, `synthetic`).
    public var source: String
    /// What went wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    /// `source: message`.
    public var description: String { "\(source): \(message)" }
}
