import TraceLog

/// The sources a user asks for (`--source auto|synthetic|rapl|nvml|proc,...`)
/// and how to open them.
public struct TelemetrySelection: Sendable, Equatable {
    /// One kind of source.
    public enum Kind: String, Sendable, CaseIterable {
        /// Every real source this machine has: RAPL, NVML and /proc.
        case auto
        /// ``SyntheticSource``.
        case synthetic
        /// ``RAPLSource``.
        case rapl
        /// ``NVMLSource``.
        case nvml
        /// ``ProcSource``.
        case proc
    }

    /// The kinds asked for, in order, without repeats.
    public var kinds: [Kind]

    /// Creates a selection.
    public init(_ kinds: [Kind]) {
        var seen: Set<Kind> = []
        self.kinds = kinds.filter { seen.insert($0).inserted }
    }

    /// Parses a comma-separated list such as `rapl,proc`; `none` selects no source.
    ///
    /// - Throws: ``TelemetryUnavailable`` naming the unknown kind and the known ones.
    public init(parsing text: String) throws(TelemetryUnavailable) {
        var kinds: [Kind] = []
        for part in text.split(separator: ",") {
            let name = String(part).trimmingWhitespace().lowercased()
            if name == "none" || name.isEmpty { continue }
            guard let kind = Kind(rawValue: name) else {
                let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw TelemetryUnavailable(source: name, message: "unknown telemetry source; choose from \(known), none")
            }
            kinds.append(kind)
        }
        self.init(kinds)
    }

    /// Where the sources read from; every root is injectable for tests.
    public struct Environment: Sendable {
        /// The powercap root.
        public var powercapRoot: String = RAPLSource.defaultRoot
        /// The procfs root.
        public var procRoot: String = ProcSource.defaultRoot
        /// The NVML library name.
        public var nvmlLibrary: String = NVMLSource.defaultLibrary
        /// How files are read.
        public var fileSystem: TelemetryFileSystem = .live
        /// The process whose memory the proc source samples.
        public var process: @Sendable () -> Int32? = { nil }
        /// Creates the default environment.
        public init() {}
    }

    /// Opens the selected sources. A source that cannot be opened is left
    /// out and its reason returned, so the run goes on without it.
    public func open(in environment: Environment = Environment()) -> (
        sources: [any TelemetrySource], problems: [TelemetryUnavailable]
    ) {
        var expanded: [Kind] = []
        for kind in kinds {
            if kind == .auto {
                expanded += [.rapl, .nvml, .proc]
            } else {
                expanded.append(kind)
            }
        }
        var seen: Set<Kind> = []
        var sources: [any TelemetrySource] = []
        var problems: [TelemetryUnavailable] = []
        for kind in expanded where seen.insert(kind).inserted {
            do throws(TelemetryUnavailable) {
                switch kind {
                case .auto: continue
                case .synthetic: sources.append(SyntheticSource())
                case .rapl: sources.append(try RAPLSource(root: environment.powercapRoot, fileSystem: environment.fileSystem))
                case .nvml: sources.append(try NVMLSource(libraryName: environment.nvmlLibrary))
                case .proc:
                    sources.append(
                        try ProcSource(
                            root: environment.procRoot, fileSystem: environment.fileSystem, process: environment.process))
                }
            } catch {
                problems.append(error)
            }
        }
        return (sources, problems)
    }
}
