#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import TraceLog
import TraceRecorder

/// The Unix stream socket that the recorded command and its children send
/// events to: newline-delimited interchange JSON, up to
/// ``maximumConnections`` connections at once, accepted by one thread and
/// read by ``loopCount`` event-loop threads (``EventLoop``).
final class EventServer: Sendable {
    /// The socket's path (what `AGENT_TRACE_SOCKET` holds).
    let path: String
    /// Lines that could not be decoded.
    let malformed = MalformedLines()
    private let directory: String
    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let recorder: Recorder
    private let anchor: ClockAnchor
    private let makeDecoder: @Sendable () -> any LineDecoding
    /// Who may write outcomes.
    let trust: SenderTrust
    private let stopping = Atomic<Bool>(false)
    private let acceptDone = DispatchSemaphore(value: 0)
    private let connections = ConnectionCounts()
    private let loops: [EventLoop]

    /// The number of threads that read the connections.
    static let loopCount = 2

    /// At most this many connections are read at once: 1024, or fewer when
    /// the descriptor limit (`ulimit -n`) leaves less than that beside 64
    /// for the rest of the process. More are accepted, closed at once and
    /// counted.
    static let maximumConnections: Int = {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return min(1024, max(8, Int(clamping: limit.rlim_cur) - 64))
    }()

    /// Creates the socket in `directory` (new and private, from
    /// ``makePrivateDirectory()``) and starts accepting.
    ///
    /// - Parameters:
    ///   - recorder: where events go.
    ///   - anchor: the recorder's clock anchor: wall-clock times of lines are
    ///     mapped to its monotonic clock through it.
    ///   - makeDecoder: makes one line decoder per connection.
    init(
        directory: String, recorder: Recorder, anchor: ClockAnchor, trust: SenderTrust,
        makeDecoder: @escaping @Sendable () -> any LineDecoding = { InterchangeLineDecoder() }
    ) throws(PosixError) {
        self.recorder = recorder
        self.anchor = anchor
        self.trust = trust
        self.makeDecoder = makeDecoder
        self.directory = directory
        path = directory + "/events.sock"

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PosixError("socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            close(fd)
            throw PosixError("socket path \(path) is too long", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let error = PosixError("bind \(path)")
            close(fd)
            throw error
        }
        guard listen(fd, 128) == 0 else {
            let error = PosixError("listen \(path)")
            close(fd)
            throw error
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let error = PosixError("pipe")
            close(fd)
            throw error
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        listener = fd
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        var loops: [EventLoop] = []
        for _ in 0..<Self.loopCount {
            let loop = try EventLoop { [connections] connection in
                connections.withLock {
                    $0.events += connection.recordedEvents
                    $0.open -= 1
                }
            }
            guard loop.start() else {
                for started in loops {
                    started.stop()
                    started.join()
                }
                close(fd)
                throw PosixError("cannot start a thread to read the event socket", code: EAGAIN)
            }
            loops.append(loop)
        }
        self.loops = loops
        let thread = Thread { [self] in
            self.acceptLoop()
            self.acceptDone.signal()
        }
        thread.name = "trace-record accept"
        thread.start()
    }

    /// What `trace-record` says at exit about connections it could not
    /// serve, or nil when there were none.
    func refusalReport() -> String? {
        let (refused, failures, code) = connections.withLock { ($0.refused, $0.acceptFailures, $0.lastFailure) }
        var lines: [String] = []
        if refused > 0 {
            lines.append("trace-record: \(refused) connection\(refused == 1 ? "" : "s") to the event socket refused "
                + "(at most \(Self.maximumConnections) at once, or no memory for another); their events were not recorded")
        }
        if failures > 0 {
            lines.append("trace-record: accepting a connection failed \(failures) time\(failures == 1 ? "" : "s") "
                + "(\(String(cString: strerror(code)))); the clients waited")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Connections accepted and events recorded so far.
    var statistics: (connections: Int, events: Int) {
        connections.withLock { ($0.opened, $0.events) }
    }

    /// Stops accepting, lets every connection read what its client already
    /// sent (for at most `drainSeconds` more), reports partial lines, and
    /// removes the socket.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        acceptDone.wait()
        for loop in loops { loop.stop() }
        for loop in loops { loop.join() }
        close(listener)
        close(wakeRead)
        close(wakeWrite)
        unlink(path)
        unlink(directory + "/" + Self.ownerFile)
        rmdir(directory)
    }

    private func acceptLoop() {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while !stopping.load(ordering: .acquiring) {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                let code = errno
                if code == EINTR || code == EAGAIN || code == ECONNABORTED { continue }
                // Out of descriptors or memory: the connection waits in the
                // backlog; back off rather than spin on it.
                connections.withLock {
                    $0.acceptFailures += 1
                    $0.lastFailure = code
                }
                usleep(50_000)
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            let number = connections.withLock { state -> Int? in
                guard state.open < Self.maximumConnections else {
                    state.refused += 1
                    return nil
                }
                state.opened += 1
                state.open += 1
                return state.opened
            }
            guard let number else {
                close(client)
                continue
            }
            guard let connection = Connection(fd: client, number: number, server: self, decoder: makeDecoder()) else {
                // No memory for its buffer: refused, never left counted open.
                close(client)
                connections.withLock {
                    $0.open -= 1
                    $0.refused += 1
                }
                continue
            }
            loops[number % loops.count].adopt(connection)
        }
    }

    /// Whether the server is stopping (connections then drain and end).
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// What all connections' buffers may hold beyond their first 256 KiB
    /// each: 256 MiB. A line that would need more is skipped and reported.
    static let bufferBudget = 256 << 20
    private let bufferBytes = Atomic<Int>(0)

    /// Takes `bytes` of the budget; false (nothing taken) when it would
    /// exceed it.
    func reserveBuffer(_ bytes: Int) -> Bool {
        var current = bufferBytes.load(ordering: .relaxed)
        while true {
            guard current + bytes <= Self.bufferBudget else { return false }
            let (exchanged, original) = bufferBytes.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Gives `bytes` back to the budget.
    func releaseBuffer(_ bytes: Int) {
        bufferBytes.subtract(bytes, ordering: .relaxed)
    }

    /// Records one decoded event from process `sender` (0: unknown), or
    /// the mark that stands for it when the sender may not send it.
    @inline(__always)
    func record(_ payload: EventPayload, wallClock: Int64?, sender: Int32) {
        let timestamp = wallClock.map(anchor.monotonic(wall:)) ?? MonotonicClock.nanoseconds()
        if trust.admits(payload, from: sender) {
            recorder.record(payload, at: timestamp, sender: sender)
        } else {
            recorder.record(trust.mark(for: payload, from: sender), at: timestamp, sender: sender)
        }
    }

    /// The file in a socket directory that holds its recorder's process id.
    static let ownerFile = "owner"

    /// Removes the socket directories in `base` that this user's recorders
    /// left when they were killed: an `agent-trace.*` directory of this
    /// user whose `owner` names a process that no longer exists.
    static func removeStaleDirectories(in base: String) {
        guard let dir = opendir(base) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name.hasPrefix("agent-trace.") else { continue }
            let path = base + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else { continue }
            guard let text = try? String(contentsOfFile: path + "/" + ownerFile, encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(path + "/events.sock")
            unlink(path + "/" + ownerFile)
            rmdir(path)
        }
    }

    /// A new directory only this user can enter, for the socket: in
    /// `$TMPDIR` made absolute, else (unset, too long for a socket path, or
    /// unusable, with a warning) in /tmp. Made before the log is opened, so
    /// a failure here touches no output.
    static func makePrivateDirectory() throws(PosixError) -> String {
        func make(in base: String) -> String? {
            var base = base
            while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
            removeStaleDirectories(in: base)
            var template = Array((base + "/agent-trace.XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
                mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
            }
            // Whose it is, so a later start can tell a dead recorder's.
            if let made, let file = fopen(made + "/" + ownerFile, "w") {
                fputs("\(getpid())\n", file)
                fclose(file)
            }
            return made
        }
        var base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        if !base.hasPrefix("/") {
            // The child may run elsewhere: the socket path must be absolute.
            var cwd = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&cwd, cwd.count) != nil {
                base = String(decoding: cwd.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + base
            }
        }
        // sun_path holds 108 bytes; fall back to /tmp for long TMPDIRs.
        if base.utf8.count > 60 { base = "/tmp" }
        if let made = make(in: base) { return made }
        let failure = String(cString: strerror(errno))
        if base != "/tmp", let made = make(in: "/tmp") {
            Diagnostics.warn("trace-record: TMPDIR \(base) cannot hold the event socket (\(failure)); using /tmp")
            return made
        }
        throw PosixError("mkdtemp in \(base)")
    }
}

/// The event socket's connection counts, shared by the accepting thread and
/// the event loops.
final class ConnectionCounts: Sendable {
    /// What is counted.
    struct Counts {
        var opened = 0
        var open = 0
        var events = 0
        var refused = 0
        var acceptFailures = 0
        var lastFailure: Int32 = 0
    }

    private let counts = Mutex(Counts())

    /// Runs `body` with the counts locked.
    func withLock<T>(_ body: (inout Counts) -> T) -> T { counts.withLock { body(&$0) } }
}
