#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import TraceLog
import TraceRecorder

/// One of the event socket's reading threads: it owns the connections
/// handed to it, waits for any of them to be readable with `poll`, and
/// reads each ready one once per round (so a busy client cannot starve the
/// others). The server runs a small fixed number of them whatever the
/// number of connections, so no process limit can leave a connection
/// unserved.
///
/// Back-pressure: when the recorder's queue is full and its policy is to
/// block, recording an event blocks this thread, which stops reading its
/// connections until the disk catches up; their clients block once their
/// socket buffers fill.
final class EventLoop: @unchecked Sendable {
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let incoming = Mutex<[Connection]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let onClose: @Sendable (Connection) -> Void
    /// The connections this loop reads; touched by its thread only.
    private var connections: [Connection] = []

    /// Makes the loop (not started).
    ///
    /// - Parameter onClose: called on the loop's thread after a connection
    ///   ended, its last line handled and its socket closed.
    init(onClose: @escaping @Sendable (Connection) -> Void) throws(PosixError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw PosixError("pipe") }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
        self.onClose = onClose
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts the loop's thread; false when no thread could be made.
    func start() -> Bool {
        OwnThread { [self] in
            self.run()
            self.finished.signal()
        }.startDetached()
    }

    /// Hands a new connection to the loop.
    func adopt(_ connection: Connection) {
        incoming.withLock { $0.append(connection) }
        wake()
    }

    /// Asks the loop to read what its clients already sent (for at most
    /// ``Connection/drainNanoseconds``), end every connection and stop.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Waits for the loop to stop (after ``stop()``).
    func join() { finished.wait() }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func run() {
        var descriptors: [pollfd] = []
        var ended: [Int] = []
        while true {
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                descriptors.append(pollfd(fd: connection.descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            ended.removeAll(keepingCapacity: true)
            for index in 1..<descriptors.count where descriptors[index].revents != 0 {
                if connections[index - 1].readOnce() == .closed { ended.append(index - 1) }
            }
            for index in ended.reversed() {
                end(connections.remove(at: index), reason: "the client closed the connection")
            }
            if descriptors[0].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &bytes, bytes.count) > 0 {}
                connections += incoming.withLock { list in
                    defer { list.removeAll() }
                    return list
                }
                if stopRequested.load(ordering: .acquiring) { break }
            }
        }
        drainAll()
    }

    /// Reads every connection until it has nothing more to give, it closes,
    /// or the drain time is over, then ends it.
    private func drainAll() {
        let deadline = MonotonicClock.nanoseconds() + Connection.drainNanoseconds
        connections += incoming.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in connections {
            var reason = "recording stopped"
            reading: while MonotonicClock.nanoseconds() < deadline {
                switch connection.readOnce() {
                case .read: continue
                case .empty: break reading
                case .closed:
                    reason = "the client closed the connection"
                    break reading
                }
            }
            end(connection, reason: reason)
        }
        connections.removeAll()
    }

    private func end(_ connection: Connection, reason: String) {
        connection.finish(reason: reason)
        close(connection.descriptor)
        onClose(connection)
    }
}
