#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TraceLog

/// Who may write outcomes (`query_end`: status, response, error, resolved,
/// score) on the event socket.
///
/// Any process that can reach the socket can send events: the command and
/// every process it starts, including code a model wrote and a tool ran.
/// Every event from the socket carries its sender's process id, as the
/// kernel recorded it when the sender connected (`SO_PEERCRED`), whatever
/// the line claims; with `--only-child` or `--trusted-pids` a `query_end`
/// from any other process is refused, counted, reported at exit and kept in
/// the log as a mark named `untrusted_event` (with the sender's id), so the
/// attempt is visible and the outcome is not. A process that inherited a
/// connected socket from a trusted one sends as that one.
final class SenderTrust: Sendable {
    /// Whether outcomes are restricted at all (else everyone may send them).
    let isRestricted: Bool
    /// What the restriction is, for messages: `--only-child` or
    /// `--trusted-pids 1,2`.
    let rule: String
    private let trusted: Set<Int32>
    private let child: ProcessID
    private let refusals = Mutex<[Int32: Int]>([:])

    /// Everyone may send outcomes.
    static func everyone(child: ProcessID) -> SenderTrust {
        SenderTrust(isRestricted: false, rule: "", trusted: [], child: child)
    }

    /// Only the command's own process and `pids` may send outcomes.
    init(onlyChildAnd pids: [Int32], rule: String, child: ProcessID) {
        self.isRestricted = true
        self.rule = rule
        self.trusted = Set(pids)
        self.child = child
    }

    private init(isRestricted: Bool, rule: String, trusted: Set<Int32>, child: ProcessID) {
        self.isRestricted = isRestricted
        self.rule = rule
        self.trusted = trusted
        self.child = child
    }

    /// Whether `payload` from `sender` (0: unknown) may be recorded as
    /// sent; counts a refusal when not.
    func admits(_ payload: EventPayload, from sender: Int32) -> Bool {
        guard isRestricted, case .queryEnd = payload else { return true }
        if sender > 0 && trusted.contains(sender) { return true }
        if sender > 0 && sender == childID() { return true }
        refusals.withLock { $0[sender, default: 0] += 1 }
        return false
    }

    /// The command's process id; waits (at most a second) in the moment
    /// between the spawn and its id being stored.
    private func childID() -> Int32 {
        for _ in 0..<1000 {
            let pid = child.value.load(ordering: .acquiring)
            if pid != 0 { return pid }
            usleep(1000)
        }
        return 0
    }

    /// The mark that stands in the log for a refused event.
    func mark(for payload: EventPayload, from sender: Int32) -> EventPayload {
        let who = sender > 0 ? "process \(sender)" : "an unknown process"
        return .mark(Mark(
            name: "untrusted_event", queryID: payload.queryID,
            text: "\(payload.kind.interchangeName) from \(who) refused: not trusted to write outcomes (\(rule))"))
    }

    /// What `trace-record` says at exit about refused events, or nil.
    func report() -> String? {
        let counts = refusals.withLock { $0 }
        guard !counts.isEmpty else { return nil }
        let total = counts.values.reduce(0, +)
        let senders = counts.keys.sorted().map { $0 > 0 ? String($0) : "unknown" }.joined(separator: ", ")
        return "trace-record: \(total) query_end event\(total == 1 ? "" : "s") from untrusted processes refused (\(rule); "
            + "sent by \(senders)); each is kept in the log as a mark named untrusted_event"
    }
}
