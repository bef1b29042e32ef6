import Foundation
import Testing
import TraceLog
import TraceRecorder

/// Runs `trace-record -o log --source none -- python3 -c script` and reads the log back.
private func record(python script: String, extra: [String] = []) throws -> (TraceRecordBinary.Result, [TraceEvent]) {
    let log = TraceRecordBinary.temporaryLog()
    defer { try? FileManager.default.removeItem(atPath: log) }
    return try record(python: script, extra: extra, into: log)
}

/// The same into `log`, which is kept.
private func record(python script: String, extra: [String] = [], into log: String) throws -> (TraceRecordBinary.Result, [TraceEvent]) {
    let prelude = "import os, socket, time\ns = socket.socket(socket.AF_UNIX)\ns.connect(os.environ['AGENT_TRACE_SOCKET'])\n"
    let result = try TraceRecordBinary.run(["-o", log, "--source", "none"] + extra + ["--", "python3", "-c", prelude + script])
    let set = LogReader.read([log])
    #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
    return (result, set.runs.first?.events ?? [])
}

private func queryIDs(_ events: [TraceEvent]) -> [String] {
    events.compactMap { event in
        if case .queryStart(let start) = event.payload { return start.queryID }
        return nil
    }
}

@Suite("trace-record: the event socket", .serialized)
struct SocketTests {
    @Test("an unusable or relative TMPDIR: the socket goes to /tmp or is made absolute, and the output is untouched until then")
    func temporaryDirectory() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let missing = try TraceRecordBinary.run(
            ["-o", log, "--source", "none", "--", "sh", "-c", "echo \"$AGENT_TRACE_SOCKET\""],
            environment: ["TMPDIR": "/nonexistent"])
        #expect(missing.status == 0, "\(missing.standardError)")
        #expect(missing.standardOutput.hasPrefix("/tmp/agent-trace."))
        #expect(missing.standardError.contains("TMPDIR /nonexistent cannot hold the event socket"))
        #expect(!LogReader.read([log]).runs.isEmpty)
        let here = URL(fileURLWithPath: NSTemporaryDirectory())
        let relative = try TraceRecordBinary.run(
            ["-o", log, "--force", "--source", "none", "--", "sh", "-c", "echo \"$AGENT_TRACE_SOCKET\""],
            environment: ["TMPDIR": "."], directory: here)
        #expect(relative.status == 0, "\(relative.standardError)")
        #expect(relative.standardOutput.hasPrefix("/"), "\(relative.standardOutput)")
    }

    @Test("SIGHUP, SIGUSR1 and SIGALRM are forwarded and the log closed; a signal the caller ignored stays ignored")
    func otherSignals() throws {
        for signal in [SIGHUP, SIGUSR1, SIGALRM] {
            let log = TraceRecordBinary.temporaryLog()
            defer { try? FileManager.default.removeItem(atPath: log) }
            let result = try TraceRecordBinary.run(
                ["-o", log, "--source", "none", "--", "sleep", "30"], signal: signal, signalAfter: 0.5)
            #expect(result.status == 128 + signal, "signal \(signal): \(result.standardError)")
            let set = LogReader.read([log])
            #expect(set.diagnostics.isEmpty, "signal \(signal): \(set.diagnostics)")
            let marks = set.runs.first?.events.compactMap { if case .mark(let m) = $0.payload { m.text } else { nil } }
            #expect(marks == ["exit \(128 + signal) (killed by signal \(signal))"])
        }
        // A closed standard error (… 2>&1 | head -c1): the warning's write
        // fails, trace-record lives on and closes the log.
        let piped = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: piped) }
        let process = Process()
        process.executableURL = try TraceRecordBinary.locate()
        process.arguments = ["-o", piped, "--source", "rapl", "--", "true"]
        let closed = Pipe()
        process.standardError = closed
        process.standardOutput = FileHandle.nullDevice
        try closed.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(LogReader.read([piped]).diagnostics.isEmpty)
        // nohup: the caller ignores SIGHUP, so the command does too.
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let binary = try TraceRecordBinary.locate().path
        let nohup = try TraceRecordBinary.run(
            ["-c", "trap '' HUP; exec '\(binary)' -o '\(log)' --source none -- sh -c 'kill -HUP $$; echo survived'"],
            shell: true)
        #expect(nohup.status == 0, "\(nohup.standardError)")
        #expect(nohup.standardOutput == "survived\n")
    }

    @Test("many connections sending long lines at once stay within the buffer budget")
    func bufferBudget() throws {
        let (result, events) = try record(python: #"""
            import threading
            s.close()
            line = b'{"type":"mark","text":"' + b'x' * 15000000 + b'"}\n'
            def send():
                c = socket.socket(socket.AF_UNIX)
                c.connect(os.environ['AGENT_TRACE_SOCKET'])
                c.sendall(line)
                c.close()
            threads = [threading.Thread(target=send) for _ in range(40)]
            for t in threads: t.start()
            for t in threads: t.join()
            time.sleep(1)
            hwm = [l for l in open('/proc/%d/status' % os.getppid()) if l.startswith('VmHWM')][0].split()[1]
            print('hwm', hwm, flush=True)
            """#)
        #expect(result.status == 0, "\(result.standardError)")
        let peak = try #require(result.standardOutput.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        // Without the budget this peaks at about 1.2 GB (40 buffers of 16 MiB
        // and the events decoded from them); with it at about 460 MB.
        #expect(peak < 700_000, "peak \(peak) kB")
        let marks = events.filter { if case .mark(let m) = $0.payload { m.name != "command_exit" } else { false } }.count
        let skipped = result.standardError.components(separatedBy: "buffers reached their").count - 1
        #expect(marks >= 1 && marks <= 40)
        #expect(marks + skipped <= 40)
    }

    @Test("a killed recorder's socket directory is removed at the next start; a live one's is kept")
    func staleSocketDirectories() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        // A dead recorder's directory (its process id no longer exists) and a live one's (this test's).
        let dead = base + "/agent-trace.DEAD01", live = base + "/agent-trace.LIVE01", foreign = base + "/agent-trace.NOOWNR"
        for dir in [dead, live, foreign] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try Data("2147483646\n".utf8).write(to: URL(fileURLWithPath: dead + "/owner"))
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: live + "/owner"))
        FileManager.default.createFile(atPath: dead + "/events.sock", contents: nil)
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let result = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "true"], environment: ["TMPDIR": base])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live))
        // Without an owner file it is not known to be ours: kept.
        #expect(FileManager.default.fileExists(atPath: foreign))
        // And the run's own directory is gone after it.
        let left = try FileManager.default.contentsOfDirectory(atPath: base).sorted()
        #expect(left == ["agent-trace.LIVE01", "agent-trace.NOOWNR"])
    }

    @Test("connections beyond the limit are refused, counted and reported; the others are recorded by a fixed set of threads")
    func connectionLimit() throws {
        // `ulimit -n 400`: the limit is 400 - 64 = 336 connections.
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let binary = try TraceRecordBinary.locate().path
        let script = #"""
            import os, socket, time
            held = []
            for i in range(380):
                c = socket.socket(socket.AF_UNIX)
                c.connect(os.environ['AGENT_TRACE_SOCKET'])
                held.append(c)
            for i, c in enumerate(held):
                try:
                    c.sendall(b'{"type":"query_start","query_id":"q%d"}\n' % i)
                except OSError:
                    pass
            time.sleep(1)
            print(len(os.listdir('/proc/%d/task' % os.getppid())))
            for c in held: c.close()
            """#
        let result = try TraceRecordBinary.run(
            ["-c", "ulimit -n 400 && exec \"$0\" -o \"$1\" --source none -- python3 -c \"$2\"", binary, log, script],
            shell: true)
        #expect(result.status == 0, "\(result.standardError)")
        let set = LogReader.read([log])
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        #expect(queryIDs(set.runs.first?.events ?? []).count == 336)
        #expect(result.standardError.contains("44 connections to the event socket refused (at most 336 at once"),
                "\(result.standardError)")
        // 336 connections open, and trace-record runs about ten threads
        // (main, accept, two loops, signals, sampler, writer, runtime).
        let threads = Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(threads > 0 && threads < 20, "\(result.standardOutput)")
    }

    @Test("a line over the limit is skipped and reported with its whole length; the next is kept")
    func longLine() throws {
        let (result, events) = try record(python: #"""
            s.sendall(b'{"type":"mark","text":"' + b'x' * 20000000 + b'"}\n{"type":"query_start","query_id":"after"}\n')
            s.close()
            """#)
        #expect(result.status == 0)
        #expect(result.standardError.contains("line of 20000025 bytes, longer than 16777216: skipped"), "\(result.standardError)")
        #expect(result.standardError.contains("… (20000025 bytes)"))
        #expect(queryIDs(events) == ["after"])
    }

    @Test("malformed lines are counted and reported with their positions; the others are kept")
    func malformedLines() throws {
        let (result, events) = try record(python: #"""
            s.sendall(b'{"type":"query_start","query_id":"a"}\nnot json\n{"type":"query_start","query_id":"b"}\n')
            s.sendall(b'{"type":"no_such_kind"}\n\n{"type":"inference_end","prompt_tokens":1.5}\n{"type":"query_start","query_id":"c"}\n')
            """#)
        #expect(result.status == 0)
        #expect(queryIDs(events) == ["a", "b", "c"])
        let report = result.standardError
        #expect(report.contains("3 malformed lines on the event socket were skipped"), "\(report)")
        #expect(report.contains("connection 1, line 2:"))
        #expect(report.contains("not json"))
        #expect(report.contains("connection 1, line 4:"))
        #expect(report.contains("unknown type \"no_such_kind\""))
        #expect(report.contains("connection 1, line 6:"))
        #expect(report.contains("prompt_tokens"))
    }

    @Test("a client that disconnects mid-line: the partial line is reported, the rest kept")
    func disconnectMidLine() throws {
        let (result, events) = try record(python: #"""
            s.sendall(b'{"type":"query_start","query_id":"a"}\n{"type":"query_st')
            s.close()
            time.sleep(0.1)
            t = socket.socket(socket.AF_UNIX); t.connect(os.environ['AGENT_TRACE_SOCKET'])
            t.sendall(b'{"type":"query_start","query_id":"b"}\n{"type":"query_start","query_id":"c"}')
            t.close()
            """#)
        #expect(result.status == 0)
        // A last line without its newline that is complete JSON is kept.
        #expect(queryIDs(events) == ["a", "b", "c"])
        #expect(result.standardError.contains("1 malformed line on the event socket was skipped"), "\(result.standardError)")
        #expect(result.standardError.contains("connection 1, line 2: the client closed the connection in the middle of a line"))
        #expect(result.standardError.contains(#"{"type":"query_st"#))
    }

    @Test("several connections at once, and timestamps from t_ns and t kept exactly")
    func connectionsAndTimestamps() throws {
        let (result, events) = try record(python: #"""
            import threading
            def send(name):
                c = socket.socket(socket.AF_UNIX); c.connect(os.environ['AGENT_TRACE_SOCKET'])
                for i in range(500):
                    c.sendall(('{"type":"mark","name":"%s","text":"%d"}\n' % (name, i)).encode())
                c.close()
            threads = [threading.Thread(target=send, args=("m%d" % k,)) for k in range(4)]
            [t.start() for t in threads]; [t.join() for t in threads]
            s.sendall(b'{"type":"query_start","query_id":"ns","t_ns":1732238400123456789}\n')
            s.sendall(b'{"type":"query_start","query_id":"s","t":1732238400.125}\n')
            """#)
        #expect(result.status == 0)
        let marks = events.filter { if case .mark(let m) = $0.payload { return m.name?.hasPrefix("m") == true } else { return false } }
        #expect(marks.count == 2000)
        let stamped = Dictionary(
            events.compactMap { event -> (String, Int64)? in
                if case .queryStart(let start) = event.payload, let id = start.queryID { return (id, event.timestamp) }
                return nil
            }, uniquingKeysWith: { a, _ in a })
        #expect(stamped["ns"] == 1_732_238_400_123_456_789)
        #expect(stamped["s"] == 1_732_238_400_125_000_000)
        // Lines without t are stamped on arrival: near now.
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        #expect(marks.allSatisfy { abs($0.timestamp - now) < 120_000_000_000 })
    }

    @Test("a command killed by a signal gives 128 + the signal")
    func childKilled() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let killed = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "sh", "-c", "kill -KILL $$"])
        #expect(killed.status == 137)
        // An existing log is refused without --force, and left as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        let refused = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "true"])
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("\(log) exists; give another -o, or --force to overwrite it."))
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before)
        let terminated = try TraceRecordBinary.run(["-o", log, "--force", "--source", "none", "--", "sh", "-c", "kill -TERM $$"])
        #expect(terminated.status == 143)
        // --quiet leaves out the warnings about sources (a missing RAPL here).
        let other = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: other) }
        let loud = try TraceRecordBinary.run(["-o", other, "--source", "rapl", "--", "true"])
        let quiet = try TraceRecordBinary.run(["-o", other, "--force", "--quiet", "--source", "rapl", "--", "true"])
        #expect(loud.status == 0 && quiet.status == 0)
        #expect(!quiet.standardError.contains("recording without it"))
        #expect(quiet.standardError.count <= loud.standardError.count)
        let version = try TraceRecordBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput == Recorder.version + "\n")
        let set = LogReader.read([log])
        #expect(set.diagnostics.isEmpty)
        let marks = set.runs.first?.events.compactMap { if case .mark(let m) = $0.payload { return m.text } else { return nil } }
        #expect(marks == ["exit 143 (killed by signal 15)"])
    }

    @Test("SIGTERM to trace-record reaches the command, and the log is closed cleanly")
    func forwardsSignal() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let started = Date()
        let result = try TraceRecordBinary.run(
            ["-o", log, "--source", "synthetic", "--", "sleep", "30"], signal: SIGTERM, signalAfter: 0.5)
        #expect(result.status == 143)
        #expect(Date().timeIntervalSince(started) < 20)
        let set = LogReader.read([log])
        #expect(set.diagnostics.isEmpty)
        #expect(set.isIntact)
        let events = try #require(set.runs.first?.events)
        #expect(events.contains { if case .runStart = $0.payload { true } else { false } })
        #expect(events.contains { if case .sample = $0.payload { true } else { false } })
    }

    @Test("SIGKILL of trace-record: the command gets SIGTERM, unless --no-parent-death-signal")
    func parentDeathSignal() throws {
        let script = """
            import os, signal, sys, time
            def on_term(*_):
                open(sys.argv[1] + '.term', 'w').write('term')
                os._exit(0)
            signal.signal(signal.SIGTERM, on_term)
            open(sys.argv[1] + '.tmp', 'w').write('%d %d' % (os.getpid(), os.getppid()))
            os.rename(sys.argv[1] + '.tmp', sys.argv[1])
            time.sleep(30)
            """
        func waitFor(_ path: String) -> Bool {
            for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) { Thread.sleep(forTimeInterval: 0.05) }
            return FileManager.default.fileExists(atPath: path)
        }
        for optOut in [false, true] {
            let log = TraceRecordBinary.temporaryLog()
            let ready = log + ".ready"
            defer { for path in [log, ready, ready + ".term"] { try? FileManager.default.removeItem(atPath: path) } }
            let process = Process()
            process.executableURL = try TraceRecordBinary.locate()
            process.arguments = ["-o", log, "--source", "none"] + (optOut ? ["--no-parent-death-signal"] : [])
                + ["--", "python3", "-c", script, ready]
            process.standardError = FileHandle.nullDevice
            try process.run()
            #expect(waitFor(ready))
            let ids = (try? String(contentsOfFile: ready, encoding: .utf8))?.split(separator: " ").compactMap { Int32($0) } ?? []
            // The command is trace-record's own child (the same process id
            // through the exec), and gets the signal when it dies.
            #expect(ids.count == 2 && ids[1] == process.processIdentifier, "\(ids)")
            kill(process.processIdentifier, SIGKILL)
            if optOut {
                Thread.sleep(forTimeInterval: 0.5)
                #expect(!FileManager.default.fileExists(atPath: ready + ".term"))
                #expect(ids.count == 2 && kill(ids[0], 0) == 0, "the command should run on")
                // (Foundation waits for the command too, which holds an inherited descriptor.)
                if ids.count == 2 { kill(ids[0], SIGKILL) }
                process.waitUntilExit()
            } else {
                process.waitUntilExit()
                #expect(waitFor(ready + ".term"), "the command did not get SIGTERM")
            }
        }
    }

    @Test("a command that is not executable gives 126, one that cannot be found 127")
    func commandNotExecutable() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let result = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "/etc/passwd"])
        #expect(result.status == 126)
        #expect(result.standardError.contains("cannot run /etc/passwd: Permission denied"), "\(result.standardError)")
        let marks = LogReader.read([log]).runs.first?.events.compactMap { if case .mark(let m) = $0.payload { m.text } else { nil } }
        #expect(marks?.first?.contains("Permission denied") == true, "\(String(describing: marks))")
    }

    @Test("every socket event carries its sender's process id; --only-child refuses a descendant's outcomes, keeps them as marks and reports them")
    func senderTrust() throws {
        // The command (pid P) starts a query; a process it starts (pid D)
        // forges an outcome for it, claiming another sender in the line,
        // and starts a query of its own; then P ends its query.
        let script = #"""
            import os, socket, subprocess, sys
            def send(line):
                s = socket.socket(socket.AF_UNIX); s.connect(os.environ['AGENT_TRACE_SOCKET']); s.sendall(line); s.close()
            send(b'{"type":"query_start","query_id":"q1"}\n')
            forger = 'import os, socket\ns = socket.socket(socket.AF_UNIX); s.connect(os.environ["AGENT_TRACE_SOCKET"])\n' \
                'print(os.getpid(), flush=True)\n' \
                's.sendall(b\'{"type":"query_end","query_id":"q1","resolved":true,"score":1,"sender_pid":1}\\n{"type":"query_start","query_id":"q2"}\\n\')\n'
            child = subprocess.run([sys.executable, '-c', forger], capture_output=True, text=True)
            print(os.getpid(), child.stdout.strip())
            send(b'{"type":"query_end","query_id":"q1","status":"ok","resolved":false}\n')
            """#
        for restricted in [false, true] {
            let log = TraceRecordBinary.temporaryLog()
            defer { try? FileManager.default.removeItem(atPath: log) }
            let result = try TraceRecordBinary.run(
                ["-o", log, "--source", "none"] + (restricted ? ["--only-child"] : []) + ["--", "python3", "-c", script])
            #expect(result.status == 0, "\(result.standardError)")
            let pids = result.standardOutput.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            try #require(pids.count == 2, "\(result.standardOutput)")
            let (command, descendant) = (pids[0], pids[1])
            let set = LogReader.read([log])
            #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
            let events = set.runs.first?.events ?? []
            let fromSocket = events.filter {
                switch $0.payload {
                case .queryStart, .queryEnd: true
                case .mark(let m): m.name == "untrusted_event"
                default: false
                }
            }
            // Each event names its real sender, whatever the line claimed.
            let senders = fromSocket.map { event -> String in
                let kind: String
                switch event.payload {
                case .queryStart(let e): kind = "start \(e.queryID ?? "")"
                case .queryEnd(let e): kind = "end \(e.queryID ?? "") \(e.resolved.map(String.init) ?? "-")"
                case .mark(let m): kind = "mark \(m.queryID ?? "")"
                default: kind = "?"
                }
                return "\(kind) \(event.senderPID == command ? "P" : event.senderPID == descendant ? "D" : String(describing: event.senderPID))"
            }
            if restricted {
                #expect(senders == ["start q1 P", "mark q1 D", "start q2 D", "end q1 false P"], "\(senders)")
                #expect(result.standardError.contains(
                    "1 query_end event from untrusted processes refused (--only-child; sent by \(descendant)); each is kept in the log as a mark named untrusted_event"),
                    "\(result.standardError)")
            } else {
                #expect(senders == ["start q1 P", "end q1 true D", "start q2 D", "end q1 false P"], "\(senders)")
                #expect(!result.standardError.contains("untrusted"))
            }
            // dump writes the sender, and import reads it back.
            if restricted {
                let analyze = try TraceRecordBinary.run(["dump", log], binary: "trace-analyze")
                #expect(analyze.standardOutput.contains("\"sender_pid\":\(descendant)"), "\(analyze.standardOutput)")
                let lines = log + ".jsonl", again = log + ".again.zst"
                defer { for path in [lines, again] { try? FileManager.default.removeItem(atPath: path) } }
                try analyze.standardOutput.write(toFile: lines, atomically: true, encoding: .utf8)
                #expect(try TraceRecordBinary.run(["import", lines, "-o", again], binary: "trace-analyze").status == 0)
                let reread = LogReader.read([again]).runs.first?.events ?? []
                #expect(reread.map(\.senderPID) == events.map(\.senderPID))
            }
        }
    }

    @Test("--trusted-pids: a listed process may write outcomes, another may not")
    func trustedPIDs() throws {
        // This test process is the sender: it connects to the socket of a
        // command that waits for it.
        for trustUs in [true, false] {
            let log = TraceRecordBinary.temporaryLog()
            let ready = log + ".socket", done = log + ".done"
            defer { for path in [log, ready, done] { try? FileManager.default.removeItem(atPath: path) } }
            let process = Process()
            process.executableURL = try TraceRecordBinary.locate()
            process.arguments = ["-o", log, "--source", "none", "--trusted-pids", trustUs ? "1,\(getpid())" : "1", "--",
                                 "sh", "-c", "echo \"$AGENT_TRACE_SOCKET\" > '\(ready).tmp' && mv '\(ready).tmp' '\(ready)'; "
                                 + "while [ ! -e '\(done)' ]; do sleep 0.02; done"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<250 where !FileManager.default.fileExists(atPath: ready) { Thread.sleep(forTimeInterval: 0.02) }
            let path = try String(contentsOfFile: ready, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: Array(path.utf8) + [0])
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(connected == 0)
            let line = Array(#"{"type":"query_start","query_id":"q"}"#.utf8) + [0x0A]
                + Array(#"{"type":"query_end","query_id":"q","resolved":true}"#.utf8) + [0x0A]
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            Thread.sleep(forTimeInterval: 0.2)
            FileManager.default.createFile(atPath: done, contents: nil)
            process.waitUntilExit()
            let kinds = (LogReader.read([log]).runs.first?.events ?? []).compactMap { event -> String? in
                guard event.senderPID == getpid() else { return nil }
                switch event.payload {
                case .queryStart: return "start"
                case .queryEnd: return "end"
                case .mark(let m): return m.name
                default: return "other"
                }
            }
            #expect(kinds == (trustUs ? ["start", "end"] : ["start", "untrusted_event"]), "\(kinds)")
        }
    }

    @Test("a disk slower than the events: trace-record says the disk is behind as it happens, and loses nothing")
    func slowDisk() throws {
        let fifo = TraceRecordBinary.temporaryLog()
        let copy = fifo + ".copy"
        #expect(mkfifo(fifo, 0o644) == 0)
        defer { for path in [fifo, copy] { try? FileManager.default.removeItem(atPath: path) } }
        // The slow disk: the FIFO drained at about 300 KB/s into a file.
        let drained = DispatchSemaphore(value: 0)
        Thread {
            let input = open(fifo, O_RDONLY), output = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var buffer = [UInt8](repeating: 0, count: 16384)
            while true {
                let count = read(input, &buffer, buffer.count)
                if count <= 0 { break }
                _ = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
                usleep(50_000)
            }
            close(input)
            close(output)
            drained.signal()
        }.start()
        let result = try TraceRecordBinary.run(["-o", fifo, "--source", "none", "--", "python3", "-c", """
            import os, random, socket
            s = socket.socket(socket.AF_UNIX); s.connect(os.environ['AGENT_TRACE_SOCKET'])
            random.seed(7)
            lines = [b'{"type":"mark","name":"m","text":"%032x"}\\n' % random.getrandbits(128) for _ in range(60000)]
            s.sendall(b''.join(lines))
            """])
        drained.wait()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("trace-record: the disk is behind: "), "\(result.standardError)")
        // A FIFO cannot be synced (EINVAL): the complete log is no failure.
        #expect(!result.standardError.contains("fsync"), "\(result.standardError)")
        let marks = (LogReader.read([copy]).runs.first?.events ?? []).filter { if case .mark(let m) = $0.payload { m.name == "m" } else { false } }
        #expect(marks.count == 60000)
    }

    @Test("extreme but valid timestamps sent through the socket crash no view of the log")
    func extremeEventsThroughTheSocket() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let (result, events) = try record(python: #"""
            s.sendall(b'{"type":"query_start","query_id":"q1"}\n{"type":"sample","t":1002.0,"source":"gpu0","gpu_energy_j":10.0}\n'
                      b'{"type":"sample","t":1001.0,"source":"gpu0","gpu_energy_j":5.0}\n'
                      b'{"type":"tool_start","t_ns":-9223372036854775808,"query_id":"q1","tool":"x","span_id":"t"}\n'
                      b'{"type":"tool_end","t_ns":1700000000000000000,"query_id":"q1","tool":"x","span_id":"t"}\n'
                      b'{"type":"mark","t_ns":-8000000000000000000,"name":"m"}\n{"type":"query_end","query_id":"q1"}\n')
            """#, into: log)
        #expect(result.status == 0)
        #expect(events.count >= 7)
        let directory = NSTemporaryDirectory()
        var runs: [[String]] = [["verify", log]]
        for set in ["default", "ipw"] {
            for view in ["turn", "query", "run", "tool", "model"] { runs.append([log, "--by", view, "--metrics", set]) }
        }
        runs.append(["perfetto", log, "-o", directory + "/extreme-\(getpid()).json"])
        runs.append(["report", log, "-o", directory + "/extreme-\(getpid()).html"])
        defer { for ext in ["json", "html"] { try? FileManager.default.removeItem(atPath: directory + "/extreme-\(getpid()).\(ext)") } }
        for arguments in runs {
            let analysed = try TraceRecordBinary.run(arguments, binary: "trace-analyze")
            #expect(analysed.status == 0, "\(arguments): \(analysed.standardError)")
            #expect(!analysed.standardError.contains("Fatal error"), "\(arguments)")
        }
    }

    @Test("--run-id names the run in every segment and the run start")
    func runID() throws {
        let (result, events) = try record(python: "s.close()", extra: ["--run-id", "bench-42"])
        #expect(result.status == 0)
        #expect(events.allSatisfy { $0.runID == "bench-42" })
        guard case .runStart(let start) = events.first?.payload else {
            Issue.record("no run start: \(events)")
            return
        }
        #expect(start.runID == "bench-42")
    }

    @Test("the OTLP endpoint: named in the command's environment, answers bad input with the right status, counts it, never crashes")
    func otlpEndpoint() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let script = #"""
            import gzip, json, os, urllib.request, urllib.error
            url = os.environ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
            print(os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] + "/v1/traces" == url, os.environ["OTEL_EXPORTER_OTLP_PROTOCOL"],
                  os.environ["OTEL_SEMCONV_STABILITY_OPT_IN"])
            def post(body, content_type, encoding=None):
                request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
                if encoding: request.add_header("Content-Encoding", encoding)
                try:
                    with urllib.request.urlopen(request) as answer: return answer.status, answer.read()
                except urllib.error.HTTPError as error: return error.code, error.read()
            def span(trace, span_id, start, end, parent="", name="chat m"):
                attributes = [{"key": "gen_ai.request.model", "value": {"stringValue": "m"}}] if parent else []
                return {"traceId": trace, "spanId": span_id, "parentSpanId": parent,
                        "name": name, "startTimeUnixNano": str(start), "endTimeUnixNano": str(end), "attributes": attributes}
            t = 1733140800000000000
            def good(trace):
                return json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [
                    span(trace, "eee19b7ec3c1b175", t + 10**8, t + 9 * 10**8, trace[:16]),
                    {"traceId": trace, "name": "no id", "startTimeUnixNano": "1", "endTimeUnixNano": "2"},
                    span(trace, "eee19b7ec3c1b176", t + 5, t + 1, trace[:16]),
                    span(trace, trace[:16], t, t + 10**9, name="invoke_agent a")]}]}]}).encode()
            results = [
                post(good("5b8efff798038103d269b633813fc60c"), "application/json"),
                post(gzip.compress(good("6c9f0008a9149214e37ac744924ad71d")), "application/json", "gzip"),
                post(b"\x0a\xff\x01\x0a", "application/x-protobuf"),
                post(b"{}", "text/plain"),
                post(b"x" * 50_000_000, "application/x-protobuf"),
                post(b"not gzip", "application/json", "gzip"),
                post(b"", "application/x-protobuf"),
            ]
            for status, body in results: print(status, body[:120].decode("utf-8", "replace").replace("\n", " "))
            """#
        let result = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "python3", "-c", script])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        try #require(lines.count == 8, "\(result.standardOutput)")
        #expect(lines[0] == "True http/protobuf gen_ai_latest_experimental")
        #expect(lines[1].hasPrefix(#"200 {"partialSuccess":{"rejectedSpans":"2","errorMessage":"#), "\(lines[1])")
        #expect(lines[2].hasPrefix("200 "), "\(lines[2])")
        #expect(lines[3].hasPrefix("400 "), "\(lines[3])")
        #expect(lines[4].hasPrefix("415 "), "\(lines[4])")
        #expect(lines[5].hasPrefix("413 "), "\(lines[5])")
        #expect(lines[6].hasPrefix("400 "), "\(lines[6])")
        #expect(lines[7].hasPrefix("200 "), "an empty request is a valid one: \(lines[7])")
        #expect(result.standardError.contains("trace-record: OTLP endpoint: 4 requests refused (2 × 400, 1 × 413, 1 × 415), 4 spans rejected"),
                "\(result.standardError)")
        #expect(result.standardError.contains("4 spans rejected"), "\(result.standardError)")
        // The good spans, sent twice, are recorded: a query and its call.
        let set = LogReader.read([log])
        let kinds = set.runs.first?.events.map(\.payload.kind).filter { $0 != .runStart && $0 != .mark } ?? []
        #expect(kinds == [.queryStart, .inferenceStart, .inferenceEnd, .queryEnd, .queryStart, .inferenceStart, .inferenceEnd, .queryEnd],
                "\(kinds)")
    }

    @Test("--no-otlp: no endpoint and no OpenTelemetry variables; a variable the user set is kept")
    func noOTLP() throws {
        let (off, _) = try record(python: "s.close()\nprint(os.environ.get('OTEL_EXPORTER_OTLP_ENDPOINT'))", extra: ["--no-otlp"])
        #expect(off.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "None")
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let kept = try TraceRecordBinary.run(
            ["-o", log, "--source", "none", "--", "sh", "-c", "echo $OTEL_EXPORTER_OTLP_PROTOCOL $OTEL_EXPORTER_OTLP_ENDPOINT"],
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
        let words = kept.standardOutput.split(separator: " ")
        #expect(words.first == "http/json" && words.last?.hasPrefix("http://127.0.0.1:") == true, "\(kept.standardOutput)")
    }

    @Test("--trusted-pids takes positive process ids only")
    func trustedPIDsValidation() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let result = try TraceRecordBinary.run(["-o", log, "--trusted-pids", "12,x", "--", "true"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--trusted-pids 12,x: expected process ids"), "\(result.standardError)")
    }

    @Test("a command that cannot be run gives 127 and a clear message")
    func missingCommand() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let result = try TraceRecordBinary.run(["-o", log, "--source", "none", "--", "no-such-command-here"])
        #expect(result.status == 127)
        #expect(result.standardError.contains("cannot run no-such-command-here"))
    }
}
