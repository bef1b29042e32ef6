#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM
/// to the recorded command, so that none of them ends `trace-record` before
/// the log is closed; SIGPIPE is ignored by `trace-record` (a closed
/// standard error is then a failed write, not death). A signal the caller
/// ignored (`nohup`: SIGHUP) stays ignored, in `trace-record` and in the
/// command.
///
/// The signals are blocked in every thread (``blockSignals()`` must run
/// before any thread starts) and taken by one thread with `sigwaitinfo`, so
/// `trace-record` itself is never interrupted: it closes the log once the
/// child has ended. A signal the terminal sent to the whole foreground
/// process group (Ctrl-C) already reached the child, which shares the group,
/// and is not sent again.
final class SignalForwarder: Sendable {
    /// The signals forwarded (those the caller did not ignore).
    static let forwardable = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]

    /// The signals whose disposition the child gets reset to the default:
    /// every one above and SIGPIPE, except those the caller ignored.
    static let resetInChild = forwardable + [SIGPIPE]

    /// The signals the caller ignored when `trace-record` started; set by
    /// ``blockSignals()`` before any thread starts, read-only after.
    nonisolated(unsafe) static var inheritedIgnored: Set<Int32> = []

    /// The signals this process waits for and forwards.
    static var signals: [Int32] { forwardable.filter { !inheritedIgnored.contains($0) } }

    private let child = Atomic<Int32>(0)
    /// The last signal received, 0 if none.
    let received = Atomic<Int32>(0)

    /// Blocks the forwarded signals in the calling thread and in every
    /// thread it starts later.
    static func blockSignals() {
        for signal in resetInChild {
            var old = sigaction()
            if sigaction(signal, nil, &old) == 0, unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 {
                inheritedIgnored.insert(signal)
            }
        }
        Glibc.signal(SIGPIPE, SIG_IGN)
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
