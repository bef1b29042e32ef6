// A recording process for the crash-recovery test (tools/crash-recovery.sh).
//
//   stress-recorder record LOG PROGRESS [--rate N] [--flush-ms MS] [--segment-bytes N]
//       Records mark events named "stress" with texts 0, 1, 2, … at about
//       N events per second (default 200000) with the real clock, until
//       killed. Every 10 ms it appends "LAST WALL_NS\n" to PROGRESS: the
//       last number whose record() had returned, and the wall-clock time
//       then (each line written with one write(2) and fdatasync'd).
//
//   stress-recorder fill LOG FILE_LIMIT_BYTES EVENTS
//       The disk-full test: limits this process's file size to
//       FILE_LIMIT_BYTES (RLIMIT_FSIZE, with SIGXFSZ ignored, so writes past
//       it fail with EFBIG the way a full disk fails with ENOSPC), records
//       EVENTS marks in small segments, flushing every 1000, then 10 more
//       after the failures to show the host keeps going. Prints
//       "flushErrors=… segmentsWritten=… segmentsLost=… events=… error=…" and
//       exits 0 (the host program survives the full disk).
//
//       The recorder's lag reports go to standard error as
//       "stress-recorder: lag behind|caught-up WALL_NS: TEXT".
//
//   stress-recorder drain FIFO OUT BYTES_PER_SECOND
//       A slow disk: reads FIFO (where `record` writes its log) at about
//       BYTES_PER_SECOND and appends what it reads to OUT, until the
//       writer is gone and the FIFO is empty.
//
//   stress-recorder check LOG PROGRESS KILLED_AT_WALL_NS BOUND_MS [LAGS]
//       After the recorder was killed at KILLED_AT: the log must hold the
//       numbers 0…M once each and in order, and M must reach every number
//       recorded more than BOUND_MS before the kill — unless LAGS (the
//       recorder's standard error) shows that its last lag report before
//       the kill said the disk was behind: a loss beyond the bound that was
//       reported as it happened. Prints one line with what was kept and
//       lost; exits 1 when the bound is broken without such a report.
#if canImport(Glibc)
import Glibc
#endif
import TraceLog
import TraceRecorder

@main
enum StressRecorder {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        switch args.first {
        case "record" where args.count >= 3: record(args)
        case "check" where args.count == 5 || args.count == 6: exit(check(args))
        case "drain" where args.count == 4: drain(args)
        case "fill" where args.count == 4: fill(args)
        default:
            say("usage: stress-recorder record LOG PROGRESS [--rate N] [--flush-ms MS] [--segment-bytes N]\n"
                + "       stress-recorder fill LOG FILE_LIMIT_BYTES EVENTS\n"
                + "       stress-recorder drain FIFO OUT BYTES_PER_SECOND\n"
                + "       stress-recorder check LOG PROGRESS KILLED_AT_WALL_NS BOUND_MS [LAGS]\n")
            exit(2)
        }
    }

    /// Writes `text` to standard error.
    static func say(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func option(_ args: [String], _ name: String, _ fallback: Int) -> Int {
        guard let i = args.firstIndex(of: name), i + 1 < args.count, let value = Int(args[i + 1]) else { return fallback }
        return value
    }

    static func record(_ args: [String]) {
        let rate = max(option(args, "--rate", 200_000), 1)
        let flushMilliseconds = option(args, "--flush-ms", 1000)
        let segmentBytes = option(args, "--segment-bytes", 1 << 20)
        let progress = open(args[2], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard progress >= 0 else {
            say("stress-recorder: cannot open \(args[2])\n")
            exit(2)
        }
        let recorder: Recorder
        do {
            var configuration = RecorderConfiguration(
                segmentBytes: segmentBytes, flushInterval: .milliseconds(flushMilliseconds),
                errorHandler: { say("stress-recorder: \($0)\n") })
            configuration.lagHandler = { lag in
                say("stress-recorder: lag \(lag.isBehind ? "behind" : "caught-up") \(MonotonicClock.wallNanoseconds()): \(lag)\n")
            }
            recorder = try Recorder(path: args[1], configuration: configuration)
        } catch {
            say("stress-recorder: \(error)\n")
            exit(2)
        }
        recorder.record(.runStart(RunStart(runID: recorder.runID, host: "stress", recorderVersion: Recorder.version)))
        let start = MonotonicClock.nanoseconds()
        var next = 0
        var lastProgress = start
        func reportProgress() {
            let now = MonotonicClock.nanoseconds()
            guard now - lastProgress >= 10_000_000 else { return }
            lastProgress = now
            let line = Array("\(next - 1) \(MonotonicClock.wallNanoseconds())\n".utf8)
            _ = line.withUnsafeBytes { write(progress, $0.baseAddress, $0.count) }
            _ = fdatasync(progress)
        }
        while true {
            // Pace to `rate`: record what is due, in batches (reporting
            // progress within a batch too, when the machine is slow).
            let due = Int(Double(MonotonicClock.nanoseconds() - start) * Double(rate) / 1e9)
            while next < due {
                recorder.record(.mark(Mark(name: "stress", text: String(next))))
                next += 1
                if next & 1023 == 0 { reportProgress() }
            }
            reportProgress()
            usleep(200)
        }
    }

    static func drain(_ args: [String]) {
        guard let rate = Int(args[3]), rate > 0 else { exit(2) }
        let input = open(args[1], O_RDONLY | O_CLOEXEC)
        let output = open(args[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard input >= 0, output >= 0 else {
            say("stress-recorder: cannot open \(args[1]) or \(args[2])\n")
            exit(2)
        }
        // 4 KiB at a time, paced to the rate.
        let chunk = 4096
        var buffer = [UInt8](repeating: 0, count: chunk)
        let start = MonotonicClock.nanoseconds()
        var total = 0
        while true {
            let count = read(input, &buffer, chunk)
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written <= 0 { exit(2) }
                offset += written
            }
            total += count
            let due = start + Int64(Double(total) / Double(rate) * 1e9)
            let now = MonotonicClock.nanoseconds()
            if due > now { usleep(UInt32(min((due - now) / 1000, 1_000_000))) }
        }
        close(output)
        exit(0)
    }

    static func fill(_ args: [String]) {
        guard let limit = UInt(args[2]), let count = Int(args[3]) else { exit(2) }
        signal(SIGXFSZ, SIG_IGN)
        var rl = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
        guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rl) == 0 else {
            say("stress-recorder: setrlimit failed\n")
            exit(2)
        }
        let recorder: Recorder
        do {
            recorder = try Recorder(path: args[1], configuration: RecorderConfiguration(
                segmentBytes: 4096, flushInterval: .seconds(3600), runID: "fill"))
        } catch {
            say("stress-recorder: \(error)\n")
            exit(2)
        }
        var flushErrors = 0
        for i in 0..<count + 10 {
            recorder.record(.mark(Mark(name: "fill", text: String(i))))
            if i % 1000 == 999 || i == count - 1 || i == count + 9 {
                do { try recorder.flush() } catch { flushErrors += 1 }
            }
        }
        do { try recorder.close() } catch { flushErrors += 1 }
        let stats = recorder.statistics
        print("flushErrors=\(flushErrors) segmentsWritten=\(stats.segmentsWritten) segmentsLost=\(stats.segmentsLost) "
            + "events=\(stats.events) error=\(recorder.errors.first?.description ?? "")")
    }

    static func check(_ args: [String]) -> Int32 {
        let logPath = args[1]
        guard let killedAt = Int64(args[3]), let boundMilliseconds = Int64(args[4]) else { return 2 }
        // The progress file: the last complete line may be followed by a torn one.
        var progress: [(last: Int, wall: Int64)] = []
        if let file = fopen(args[2], "r") {
            var buffer = [CChar](repeating: 0, count: 256)
            while fgets(&buffer, 256, file) != nil {
                let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard line.hasSuffix("\n") else { break }
                let parts = line.dropLast().split(separator: " ")
                if parts.count == 2, let last = Int(parts[0]), let wall = Int64(parts[1]) { progress.append((last, wall)) }
            }
            fclose(file)
        }
        let log = LogReader.read([logPath])
        var numbers: [Int] = []
        for run in log.runs {
            for event in run.events {
                if case .mark(let mark) = event.payload, mark.name == "stress", let n = Int(mark.text ?? "") {
                    numbers.append(n)
                }
            }
        }
        var failures: [String] = []
        if log.runs.count > 1 { failures.append("\(log.runs.count) runs in one log") }
        if numbers != Array(0..<numbers.count) {
            let firstWrong = zip(numbers, 0...).first { $0.0 != $0.1 }
            failures.append("marks are not 0…\(numbers.count - 1) in order (first difference: \(String(describing: firstWrong)))")
        }
        let kept = numbers.count - 1
        let deadline = killedAt - boundMilliseconds * 1_000_000
        let required = progress.last { $0.wall <= deadline }?.last ?? -1
        var reported = ""
        if kept < required {
            // A loss beyond the bound is allowed only when the recorder
            // said, before the kill, that the disk was behind.
            let lastReport = args.count == 6 ? lagReports(args[5]).last { $0.wall <= killedAt } : nil
            if let lastReport, lastReport.behind {
                reported = "; beyond the bound, as reported \(format1(Double(killedAt - lastReport.wall) / 1e6)) ms before the kill"
                    + " (the disk was behind)"
            } else {
                failures.append("lost mark \(kept + 1), recorded more than \(boundMilliseconds) ms before the kill (every mark up to \(required) was)"
                    + (args.count == 6 ? ", and the recorder had not reported the disk behind" : ""))
            }
        }
        // How old the oldest lost event was at most when the process died:
        // it was recorded after the last progress line that the kept
        // numbers cover.
        let covered = progress.last { $0.last <= kept }
        let anyLost = progress.contains { $0.last > kept }
        let lossMilliseconds = anyLost ? covered.map { Double(killedAt - $0.wall) / 1e6 } ?? Double(killedAt - (progress.first?.wall ?? killedAt)) / 1e6 + 10 : 0
        let torn = log.diagnostics.contains { $0.message.contains("torn final frame") }
        let errors = log.diagnostics.filter { $0.severity == .error && !$0.message.contains("empty file") }
        if !errors.isEmpty { failures.append("errors besides a torn tail: \(errors.map(\.description))") }
        print("kept marks 0…\(kept) in \(log.files.first?.segments.count ?? 0) segments, required ≥ \(required), "
            + "lost at most the last \(format1(lossMilliseconds)) ms\(reported), torn tail: \(torn ? "yes" : "no")"
            + (failures.isEmpty ? "" : "; FAILED: " + failures.joined(separator: "; ")))
        return failures.isEmpty ? 0 : 1
    }

    /// The lag reports in a recorder's standard error, in order.
    static func lagReports(_ path: String) -> [(behind: Bool, wall: Int64)] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var reports: [(behind: Bool, wall: Int64)] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let words = line.split(separator: " ")
            guard words.count >= 4, words[0] == "stress-recorder:", words[1] == "lag",
                  let wall = Int64(words[3].filter { $0 != ":" }) else { continue }
            reports.append((words[2] == "behind", wall))
        }
        return reports
    }

    static func format1(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return "\(scaled)"
    }
}
