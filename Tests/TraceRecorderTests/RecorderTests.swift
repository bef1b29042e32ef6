import Foundation
import Testing
import TraceLog
import TraceRecorder

func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agent-trace-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("\(name)-\(UUID().uuidString).zst").path
}

func zstdTest(_ path: String) -> Int32? {
    let candidates = ["/usr/bin/zstd", "/usr/local/bin/zstd"]
    guard let zstd = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: zstd)
    process.arguments = ["-q", "-t", path]
    try? process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

@Suite struct RecorderTests {
    @Test func concurrentRecordingKeepsEveryEventAndEachThreadsOrder() throws {
        let path = temporaryPath("concurrent")
        let recorder = try Recorder(path: path, configuration: RecorderConfiguration(segmentBytes: 4096))
        let threads = 4, perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in 0..<perThread {
                recorder.record(.mark(Mark(name: "t\(thread)", text: String(i))))
            }
        }
        try recorder.close()
        let log = LogReader.read([path])
        #expect(log.diagnostics.isEmpty)
        #expect(log.isIntact)
        #expect(log.files[0].segments.count > 10)
        let events = try #require(log.runs.first?.events)
        #expect(events.count == threads * perThread)
        #expect(events.map(\.sequence) == (0..<UInt64(threads * perThread)).map { $0 })
        for thread in 0..<threads {
            let texts = events.compactMap { e -> Int? in
                guard case .mark(let m) = e.payload, m.name == "t\(thread)" else { return nil }
                return Int(m.text!)
            }
            #expect(texts == Array(0..<perThread))
        }
        #expect(recorder.statistics.events == UInt64(threads * perThread))
        #expect(recorder.statistics.segmentsWritten == UInt64(log.files[0].segments.count))
        if let status = zstdTest(path) { #expect(status == 0) }
    }

    @Test func segmentsCloseOnTimeWithoutAFlush() throws {
        let path = temporaryPath("timed")
        let recorder = try Recorder(path: path, configuration: RecorderConfiguration(flushInterval: .milliseconds(40)))
        recorder.record(.mark(Mark(name: "first")))
        var events: [TraceEvent] = []
        for _ in 0..<100 where events.isEmpty {
            Thread.sleep(forTimeInterval: 0.02)
            events = LogReader.read([path]).runs.first?.events ?? []
        }
        #expect(events.map(\.payload) == [.mark(Mark(name: "first"))])
        try recorder.close()
    }

    @Test func flushIsDurableAndTheLogStaysAppendable() throws {
        let path = temporaryPath("flush")
        let recorder = try Recorder(path: path, configuration: RecorderConfiguration(flushInterval: .seconds(3600)))
        recorder.record(.queryStart(QueryStart(queryID: "q1")))
        try recorder.flush()
        #expect(LogReader.read([path]).runs.first?.events.count == 1)
        recorder.record(.queryEnd(QueryEnd(queryID: "q1", status: "completed")))
        try recorder.flush()
        let log = LogReader.read([path])
        #expect(log.runs.first?.events.count == 2)
        #expect(log.files.first?.segments.count == 2)
        try recorder.close()
        recorder.record(.mark(Mark(name: "late")))
        #expect(recorder.statistics.droppedEvents == 1)
        #expect(LogReader.read([path]).runs.first?.events.count == 2)
    }

    @Test func explicitTimestampsWithTheIdentityAnchorAreWallClock() throws {
        let path = temporaryPath("explicit")
        let recorder = try Recorder(
            path: path, configuration: RecorderConfiguration(runID: "r-fixed", anchor: .identity))
        let times: [Int64] = [1_732_238_400_125_000_000, 1_732_238_400_000_000_001, 1_732_238_401_500_000_000]
        for t in times { recorder.record(.mark(Mark(name: "m")), at: t) }
        try recorder.close()
        let run = try #require(LogReader.read([path]).runs.first)
        #expect(run.runID == "r-fixed")
        #expect(run.events.map(\.timestamp) == times)
    }

    @Test func realClockTimestampsAreNearWallClockNow() throws {
        let path = temporaryPath("clock")
        let before = Int64(Date().timeIntervalSince1970 * 1e9)
        let recorder = try Recorder(path: path)
        recorder.record(.mark(Mark(name: "now")))
        try recorder.close()
        let after = Int64(Date().timeIntervalSince1970 * 1e9)
        let t = try #require(LogReader.read([path]).runs.first?.events.first?.timestamp)
        #expect(t >= before - 50_000_000 && t <= after + 50_000_000)
    }

    @Test func aFailingDiskIsReportedThroughTheAPIAndNeverCrashesTheHost() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let reported = ErrorBox()
        let recorder = try Recorder(
            path: "/dev/full", configuration: RecorderConfiguration(errorHandler: { reported.add($0) }))
        recorder.record(.mark(Mark(name: "lost")))
        #expect(throws: RecorderError.self) { try recorder.flush() }
        #expect(recorder.errors.first?.description.contains("No space left on device") == true)
        #expect(recorder.statistics.segmentsLost == 1)
        #expect(reported.count >= 1)
        // The host keeps recording after the error.
        recorder.record(.mark(Mark(name: "still recording")))
        #expect(recorder.statistics.events == 2)
        try? recorder.close()
    }

    @Test func anUnwritablePathFailsAtCreationWithItsName() {
        #expect {
            try Recorder(path: "/nonexistent-dir/run.zst")
        } throws: { error in
            (error as? RecorderError)?.description.contains("/nonexistent-dir/run.zst: no such file or directory") == true
        }
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [RecorderError] = []
    func add(_ e: RecorderError) { lock.withLock { errors.append(e) } }
    var count: Int { lock.withLock { errors.count } }
}

/// Back-pressure: a disk slower than the caller never grows the queue of
/// closed segments past its bound; the caller waits (the default) or the
/// events are dropped and counted.
@Suite(.serialized) struct BackPressureTests {
    /// Records 20,000 marks into a FIFO drained at about 200 KB/s, with a
    /// queue of at most 4 segments; the statistics, and the bytes the
    /// reader got.
    static func slowDisk(
        _ policy: OverloadPolicy, lags: LockedLags? = nil, segmentBytes: Int = 4096, pauseMicroseconds: UInt32 = 20_000,
        queue: Int = 4, events: Int = 20_000, randomText: Bool = false, flushInterval: Duration = .seconds(3600)
    ) throws -> (RecorderStatistics, Int) {
        let fifo = temporaryPath("slow-\(policy)")
        #expect(mkfifo(fifo, 0o644) == 0)
        defer { unlink(fifo) }
        let received = LockedCount()
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                received.add(n)
                usleep(pauseMicroseconds)
            }
            close(fd)
        }
        reader.start()
        var configuration = RecorderConfiguration(
            segmentBytes: segmentBytes, flushInterval: flushInterval, runID: "slow", anchor: .identity)
        configuration.maximumQueuedSegments = queue
        configuration.onOverload = policy
        if let lags { configuration.lagHandler = { lags.add($0) } }
        let recorder = try Recorder(path: fifo, configuration: configuration)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<events {
            // Random text compresses little, so the FIFO's buffer fills.
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let text = randomText ? String(state, radix: 16) + String(state >> 7 ^ state, radix: 16)
                : "event \(i) of a run written faster than the disk takes it"
            recorder.record(.mark(Mark(name: "m", text: text)), at: Int64(i))
        }
        let statistics = recorder.statistics
        try? recorder.close()
        while reader.isExecuting { usleep(10_000) }
        return (statistics, received.value)
    }

    @Test func aSlowDiskMakesTheCallerWaitAndLosesNothing() throws {
        let (statistics, _) = try Self.slowDisk(.block)
        #expect(statistics.peakQueuedSegments <= 5)
        #expect(statistics.droppedEvents == 0)
        #expect(statistics.events == 20_000)
    }

    @Test func aDiskTooSlowForTheLossBoundIsReportedBehindAsItHappens() throws {
        // 16 KiB segments of random text (about 7 KB compressed) into a
        // FIFO drained at 130 KB/s, at most 8 queued: a closed segment
        // waits about 0.4 s, longer than the 250 ms slack of a 1 s flush
        // interval.
        let lags = LockedLags()
        let (statistics, _) = try Self.slowDisk(
            .block, lags: lags, segmentBytes: 16384, pauseMicroseconds: 30_000, queue: 8, events: 20_000,
            randomText: true, flushInterval: .seconds(1))
        #expect(statistics.droppedEvents == 0)
        let reports = lags.all
        #expect(reports.first?.isBehind == true, "\(reports)")
        #expect((reports.first?.waitNanoseconds ?? 0) > 250_000_000)
        #expect(reports.first?.description.hasPrefix("the disk is behind: ") == true)
        #expect(statistics.timesBehind == reports.filter(\.isBehind).count)
        #expect(statistics.longestSegmentWaitNanoseconds > 250_000_000)
        // Reports alternate: behind, caught up, behind, …
        #expect(reports.enumerated().allSatisfy { $0.element.isBehind == ($0.offset % 2 == 0) }, "\(reports)")
    }

    @Test func aDiskThatKeepsUpIsNeverReportedBehind() throws {
        let path = temporaryPath("fast")
        defer { unlink(path) }
        let lags = LockedLags()
        var configuration = RecorderConfiguration(segmentBytes: 4096, runID: "fast", anchor: .identity)
        configuration.lagHandler = { lags.add($0) }
        let recorder = try Recorder(path: path, configuration: configuration)
        for i in 0..<20_000 { recorder.record(.mark(Mark(name: "m", text: "event \(i)")), at: Int64(i)) }
        try recorder.close()
        #expect(lags.all.isEmpty, "\(lags.all)")
        #expect(recorder.statistics.timesBehind == 0)
        #expect(recorder.statistics.longestSegmentWaitNanoseconds < 250_000_000)
    }

    @Test func withDropTheEventsPastTheBoundAreDroppedAndCounted() throws {
        let (statistics, _) = try Self.slowDisk(.drop)
        #expect(statistics.peakQueuedSegments <= 5)
        #expect(statistics.overloadDroppedEvents > 0)
        #expect(statistics.droppedEvents == statistics.overloadDroppedEvents)
        #expect(statistics.events + statistics.droppedEvents == 20_000)
    }
}

/// Lag reports, gathered from the recorder's threads.
final class LockedLags: @unchecked Sendable {
    private let lock = NSLock()
    private var lags: [RecorderLag] = []
    func add(_ lag: RecorderLag) { lock.lock(); lags.append(lag); lock.unlock() }
    var all: [RecorderLag] { lock.lock(); defer { lock.unlock() }; return lags }
}

/// A counter two threads share.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
