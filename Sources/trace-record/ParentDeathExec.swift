#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessControl

/// The first step of the recorded command's process (see ``ChildProcess``):
/// `trace-record MARKER PARENT SIGNAL PATH ARGV0 ARGS...` sets the
/// parent-death signal, makes sure the parent `PARENT` did not die before
/// that, and replaces itself with the command (`execv(PATH, [ARGV0,
/// ARGS...])`). Runs before anything else in `trace-record` starts.
enum ParentDeathExec {
    /// The first argument that selects this step; no option looks like it.
    static let marker = "--agent-trace-exec-child--"

    /// This executable's path, or nil where it cannot be known (then the
    /// command is spawned directly, without a parent-death signal).
    static func ownExecutable() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return access(path, X_OK) == 0 ? path : nil
        #else
        return nil
        #endif
    }

    /// Runs the step when `arguments` (the process's, program name first)
    /// select it; returns only when they do not.
    static func runIfSelected(_ arguments: [String]) {
        guard arguments.count >= 6, arguments[1] == marker else { return }
        guard let parent = pid_t(arguments[2]), let signal = Int32(arguments[3]) else { _exit(126) }
        if agent_trace_set_parent_death_signal(signal) == 0, getppid() != parent {
            // trace-record died before the signal was set: do not start.
            _exit(128 + signal)
        }
        let path = arguments[4]
        let argv = arguments[5...].map { strdup($0) } + [nil]
        execv(path, argv)
        let code = errno
        let message = "trace-record: cannot run \(arguments[5]): \(String(cString: strerror(code)))\n"
        _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        _exit(code == ENOENT ? 127 : 126)
    }
}
