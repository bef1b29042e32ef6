#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clocks the recorder reads: CLOCK_MONOTONIC for event timestamps
/// (a vDSO call, no syscall), CLOCK_REALTIME once per recorder for the
/// wall-clock anchor.
public enum MonotonicClock {
    /// Monotonic nanoseconds.
    @inlinable
    public static func nanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// Wall-clock nanoseconds since the Unix epoch.
    public static func wallNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// Reads both clocks back to back.
    public static func anchor() -> ClockAnchor {
        let mono = nanoseconds()
        let wall = wallNanoseconds()
        return ClockAnchor(wallNanoseconds: wall, monotonicNanoseconds: mono)
    }
}

import TraceLog
