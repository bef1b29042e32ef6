#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command `trace-record` runs: spawned with `posix_spawnp`, with the
/// signal mask and dispositions reset and extra environment variables.
struct ChildProcess {
    /// The child's process id.
    let pid: pid_t

    /// Spawns `arguments[0]` (looked up in `PATH`) with `arguments`.
    ///
    /// - Parameter environment: variables added to (or replacing those of)
    ///   this process's environment.
    init(arguments: [String], environment: [String: String]) throws(PosixError) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        // Back to the default, but what the caller ignored stays ignored.
        for signal in SignalForwarder.resetInChild where !SignalForwarder.inheritedIgnored.contains(signal) {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if environment[name] == nil { variables.append(text) }
            index += 1
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { variables.append("\(name)=\(value)") }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, envp)
        guard status == 0 else { throw PosixError("cannot run \(arguments[0])", code: status) }
        self.pid = pid
    }

    /// Waits for the child to end; returns its exit code, or 128 + N when
    /// signal N killed it (as shells report it).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 1 }
        }
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }
}
