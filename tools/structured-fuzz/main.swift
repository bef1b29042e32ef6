// The structure-aware fuzzer: writes well-formed logs full of extreme
// values (HostileLogs) and runs every trace-analyze command over each,
// failing on any crash (a signal, a "Fatal error") or a command that hangs.
//
//   structured-fuzz TRACE-ANALYZE COUNT [FIRST-SEED] [KEEP-DIR]
//
// A failing log is kept under KEEP-DIR (default fixtures/fuzz-corpus/structured)
// as seed-N.zst, to become a regression test. tools/fuzz.sh structured N runs it.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HostileLogs

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = UInt64(arguments[2]) else {
    print("usage: structured-fuzz TRACE-ANALYZE COUNT [FIRST-SEED] [KEEP-DIR]")
    exit(2)
}
let binary = URL(fileURLWithPath: arguments[1])
let first = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
let keep = arguments.count > 4 ? arguments[4] : "fixtures/fuzz-corpus/structured"

/// Runs one command, true when it neither crashed nor hung. posix_spawn and
/// waitpid, not Foundation's Process: thousands of short children in a row
/// are exactly where its exit notification can be missed.
func survives(_ command: [String], seed: UInt64, scratch: String) -> Bool {
    let errorsPath = scratch + "/stderr"
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([binary.path] + command).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, binary.path, &actions, nil, argv, environ) == 0 else {
        print("seed \(seed): cannot run \(binary.path)")
        return false
    }
    let started = ContinuousClock.now
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if ContinuousClock.now - started > .seconds(120) {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            print("seed \(seed): HANG: trace-analyze \(command.joined(separator: " "))")
            return false
        }
        usleep(2_000)
    }
    let text = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
    let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
    let code = (status >> 8) & 0xFF
    if signaled || code >= 128 || text.contains("Fatal error") {
        print("seed \(seed): CRASH (\(signaled ? "signal \(status & 0x7F)" : "status \(code)")): trace-analyze \(command.joined(separator: " "))")
        print(String(text.suffix(1500)))
        return false
    }
    return true
}

var failures = 0
var runs = 0
let work = FileManager.default.temporaryDirectory.appendingPathComponent("structured-fuzz-\(getpid())").path
for seed in first..<(first + count) {
    let dir = work + "/\(seed)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let log = dir + "/log.zst"
    do { try HostileLogs.write(seed: seed, to: log) } catch {
        print("seed \(seed): cannot write the log: \(error)")
        failures += 1
        continue
    }
    var failed = false
    for command in HostileLogs.commands(log: log, dir: dir) {
        runs += 1
        if !survives(command, seed: seed, scratch: dir) { failed = true }
    }
    if failed {
        failures += 1
        try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: log, toPath: keep + "/seed-\(seed).zst")
    }
    try? FileManager.default.removeItem(atPath: dir)
}
try? FileManager.default.removeItem(atPath: work)
print("structured-fuzz: \(count) logs, \(runs) command runs, \(failures) logs with failures")
exit(failures == 0 ? 0 : 1)
