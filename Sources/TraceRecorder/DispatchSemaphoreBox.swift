import Dispatch

/// A counting semaphore (thin wrapper, so the rest of the module does not
/// depend on Dispatch's API directly).
@usableFromInline
final class DispatchSemaphoreBox: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    @usableFromInline func signal() { semaphore.signal() }
    func wait() { semaphore.wait() }

    /// Waits at most `nanoseconds`; true when signalled.
    func wait(nanoseconds: Int64) -> Bool {
        semaphore.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
    }
}
