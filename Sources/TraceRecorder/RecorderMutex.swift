import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if AGENT_TRACE_PTHREAD_LOCK
/// The recorder's lock: a pthread mutex, for ThreadSanitizer builds
/// (`-Xswiftc -DAGENT_TRACE_PTHREAD_LOCK`). TSan intercepts pthread
/// locks; it cannot see the futex-based `Synchronization.Mutex` of the
/// uninstrumented standard library and would report every access under it
/// as a race. The code the lock protects is the same either way.
@usableFromInline
typealias RecorderMutex<Value> = PthreadMutex<Value>
#else
/// The recorder's lock: `Synchronization.Mutex` (about 8 ns uncontended).
@usableFromInline
typealias RecorderMutex<Value> = Mutex<Value>
#endif

/// A value protected by a pthread mutex, with `Mutex`'s `withLock` shape.
@usableFromInline
final class PthreadMutex<Value>: @unchecked Sendable {
    @usableFromInline var value: Value
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

    @usableFromInline
    init(_ value: consuming Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inlinable
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
