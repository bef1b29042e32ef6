import Synchronization

/// How many bytes of log frames every reader in this process has passed so
/// far (all passes, all files): what a command's progress display reads
/// from another thread while the reading goes on. Counting costs one
/// relaxed atomic add per frame.
public enum ReadProgress {
    private static let counter = Atomic<Int>(0)

    /// The bytes of frames read so far.
    public static var bytes: Int { counter.load(ordering: .relaxed) }

    /// Adds a frame's bytes.
    static func add(_ count: Int) {
        counter.wrappingAdd(count, ordering: .relaxed)
    }
}
