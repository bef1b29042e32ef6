#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages the allocator holds free back to the system.
///
/// glibc keeps memory that a phase freed (the first pass's open queries,
/// the decoder thread's buffers, which stay in that thread's arena) for
/// later allocations; when the next phase allocates other sizes or on
/// another thread, the process's resident size keeps both. Called between
/// an analysis's passes and its rows, it costs one walk of the free lists
/// (a few milliseconds) and changes no result.
package enum FreedMemory {
    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `malloc_trim` and `mallopt`, looked up once (`malloc.h` is
    /// not part of the Glibc module); nil under a C library without them.
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }
    private static let option: Option? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
        .map { unsafeBitCast($0, to: Option.self) }
    /// `M_MMAP_THRESHOLD` in glibc's malloc.h.
    private static let mmapThreshold: Int32 = -3
    #endif

    /// The size from which ``mapLargeBlocks()`` maps each block on its own.
    package static let largeBlockBytes: Int32 = 128 * 1024

    /// Makes every block of ``largeBlockBytes`` or more a mapping of its
    /// own, given back to the system when freed (`mallopt(M_MMAP_THRESHOLD)`).
    ///
    /// By default glibc raises that threshold each time a mapped block is
    /// freed, up to 32 MB, after which the arrays an analysis grows and
    /// lets go of (a run's spans, its rows) stay in the heap between longer
    /// lived blocks and keep their pages. A process-wide setting: the
    /// `trace-analyze` command sets it once at start, a library never does.
    /// Measured on a 20 000-query log: `--by query` 183 -> 163 MB peak RSS,
    /// `report` 233 -> 215 MB, no slower.
    package static func mapLargeBlocks() {
        #if canImport(Glibc)
        _ = option?(mmapThreshold, largeBlockBytes)
        #endif
    }

    /// Returns free pages of every arena to the system (`malloc_trim(0)`);
    /// nothing where the C library has no such call.
    package static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
