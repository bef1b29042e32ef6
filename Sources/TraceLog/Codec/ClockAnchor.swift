/// A pair of clock readings taken at the same instant: the wall clock and
/// the monotonic clock. Every segment carries its run's anchor, so its
/// monotonic timestamps map to wall-clock time on their own.
public struct ClockAnchor: Sendable, Equatable {
    /// Wall-clock nanoseconds since the Unix epoch.
    public var wallNanoseconds: Int64
    /// Monotonic nanoseconds at the same instant.
    public var monotonicNanoseconds: Int64

    /// Creates an anchor.
    public init(wallNanoseconds: Int64, monotonicNanoseconds: Int64) {
        self.wallNanoseconds = wallNanoseconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// A wall-clock time (nanoseconds since the epoch) on the monotonic
    /// clock of this anchor (wrapping arithmetic: a hostile time cannot trap).
    @inlinable
    public func monotonic(wall: Int64) -> Int64 {
        wall &- wallNanoseconds &+ monotonicNanoseconds
    }

    /// A monotonic time on the wall clock of this anchor, as records are
    /// stamped (wrapping arithmetic, the inverse of ``monotonic(wall:)``).
    @inlinable
    public func wall(monotonic: Int64) -> Int64 {
        monotonic &- monotonicNanoseconds &+ wallNanoseconds
    }

    /// The identity anchor: timestamps given to the encoder are already
    /// wall-clock nanoseconds (used by `import`).
    public static let identity = ClockAnchor(wallNanoseconds: 0, monotonicNanoseconds: 0)
}
