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
    /// glibc's `malloc_trim`, looked up once (`malloc.h` is not part of the
    /// Glibc module); nil under a C library without it.
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }
    #endif

    /// Returns free pages of every arena to the system (`malloc_trim(0)`);
    /// nothing where the C library has no such call.
    package static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
