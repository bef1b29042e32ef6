#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command `trace-record` runs: spawned with `posix_spawn`, with the
/// signal mask and dispositions reset and extra environment variables, and
/// (on Linux, unless turned off) a parent-death signal: when `trace-record`
/// dies without closing (SIGKILL, a crash), the command gets SIGTERM instead
/// of running on with a dead socket.
///
/// `posix_spawn` cannot set a parent-death signal, so the command is
/// started through `trace-record` itself (``ParentDeathExec``): the new
/// process sets the signal with `prctl(PR_SET_PDEATHSIG)`, checks that its
/// parent is still alive, and `exec`s the command, which keeps the signal
/// and the process id. The signal follows the thread that spawned the
/// child, so the spawn happens on the main thread, which lives as long as
/// `trace-record`.
struct ChildProcess {
    /// The child's process id.
    let pid: pid_t

    /// The signal the command gets when `trace-record` dies.
    static let parentDeathSignal = SIGTERM

    /// Spawns `arguments[0]` (looked up in `PATH`) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or replacing those of) this
    ///     process's environment.
    ///   - parentDeathSignal: whether the command is signalled
    ///     (``parentDeathSignal``) when `trace-record` dies (Linux only).
    init(arguments: [String], environment: [String: String], parentDeathSignal: Bool = true) throws(PosixError) {
        let executable = try Self.resolve(arguments[0])
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

        var program = executable
        var spawnArguments = arguments
        if parentDeathSignal, let own = ParentDeathExec.ownExecutable() {
            program = own
            spawnArguments = [own, ParentDeathExec.marker, String(getpid()), String(Self.parentDeathSignal), executable] + arguments
        }
        let argv = spawnArguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, nil, &attributes, argv, envp)
        guard status == 0 else { throw PosixError("cannot run \(arguments[0])", code: status) }
        self.pid = pid
    }

    /// The file `name` runs, found as `execvp` would: a name with a slash
    /// as it is, else the first executable regular file of that name in
    /// `PATH`. Throws ENOENT or EACCES with the message `cannot run NAME`.
    static func resolve(_ name: String) throws(PosixError) -> String {
        func usable(_ path: String) -> Int32 {
            var info = stat()
            guard stat(path, &info) == 0 else { return errno }
            guard info.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else { return EACCES }
            return 0
        }
        guard !name.isEmpty else { throw PosixError("cannot run an empty command", code: ENOENT) }
        if name.contains("/") {
            let problem = usable(name)
            guard problem == 0 else { throw PosixError("cannot run \(name)", code: problem) }
            return name
        }
        var path = "/usr/local/bin:/usr/bin:/bin"
        if let value = getenv("PATH") { path = String(cString: value) }
        var problem = ENOENT
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            let found = usable(candidate)
            if found == 0 { return candidate }
            if found == EACCES { problem = EACCES }
        }
        throw PosixError("cannot run \(name)", code: problem)
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
