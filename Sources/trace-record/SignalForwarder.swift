#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Forwards SIGINT and SIGTERM to the recorded command.
///
/// The signals are blocked in every thread (``blockSignals()`` must run
/// before any thread starts) and taken by one thread with `sigwaitinfo`, so
/// `trace-record` itself is never interrupted: it closes the log once the
/// child has ended. A signal the terminal sent to the whole foreground
/// process group (Ctrl-C) already reached the child, which shares the group,
/// and is not sent again.
final class SignalForwarder: Sendable {
    /// The signals forwarded.
    static let signals = [SIGINT, SIGTERM]

    private let child = Atomic<Int32>(0)
    /// The last signal received, 0 if none.
    let received = Atomic<Int32>(0)

    /// Blocks the forwarded signals in the calling thread and in every
    /// thread it starts later.
    static func blockSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts the thread that takes the signals.
    init() {
        let thread = Thread { [self] in self.run() }
        thread.name = "trace-record signals"
        thread.start()
    }

    /// The child to forward signals to.
    func forward(to pid: pid_t) {
        child.store(pid, ordering: .releasing)
    }

    private func run() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in Self.signals { sigaddset(&set, signal) }
        while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&set, &info)
            if signal < 0 { continue }
            received.store(signal, ordering: .releasing)
            let pid = child.load(ordering: .acquiring)
            // SI_KERNEL: sent by the terminal to the process group, which
            // the child is in: it has it already.
            if pid > 0 && info.si_code != SI_KERNEL {
                kill(pid, signal)
            }
        }
    }
}
