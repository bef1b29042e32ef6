/// The energy of one turn in one domain.
///
/// `joules` = `inferenceJoules` + `toolJoules` + `unspannedJoules`, all nil
/// when no telemetry covers the turn.
public struct TurnEnergy: Sendable, Hashable {
    /// The energy attributed to the whole turn window, joules.
    public var joules: Double?
    /// The part spent while the turn's inference ran.
    public var inferenceJoules: Double?
    /// The part spent while the turn's tool calls ran.
    public var toolJoules: Double?
    /// The part spent in the turn window while none of its spans ran.
    public var unspannedJoules: Double?
    /// What is uncertain about these figures.
    public var flags: EnergyFlags
    /// The energy of each of the turn's spans, in the order the turn's
    /// ``TurnInterval/spans`` were given (nil when the turn has none).
    /// Concurrent spans of one turn share each piece equally, so the
    /// inference span plus the tool spans sum to `inferenceJoules + toolJoules`.
    public var spanJoules: [Double]?
    /// Joules by which the turn's energy changes per millisecond that the
    /// telemetry's clock is shifted against the spans (version 3 of the
    /// `default` set): the difference of its power at its two ends; nil
    /// when it has no energy.
    public var alignmentJoulesPerMillisecond: Double?

    /// Creates a turn's energy.
    public init(
        joules: Double?, inferenceJoules: Double?, toolJoules: Double?, unspannedJoules: Double?, flags: EnergyFlags,
        spanJoules: [Double]? = nil
    ) {
        self.joules = joules
        self.inferenceJoules = inferenceJoules
        self.toolJoules = toolJoules
        self.unspannedJoules = unspannedJoules
        self.flags = flags
        self.spanJoules = spanJoules
    }
}

/// The energy of one query in one domain.
///
/// `joules` = Σ turns' `joules` + `overheadJoules`.
public struct QueryEnergy: Sendable, Hashable {
    /// The query's identifier.
    public var id: String
    /// The energy attributed to the query, joules.
    public var joules: Double?
    /// The part spent before the query's first turn.
    public var overheadJoules: Double?
    /// Its turns, in the order given.
    public var turns: [TurnEnergy]
    /// What is uncertain about these figures.
    public var flags: EnergyFlags
    /// Joules by which the query's energy changes per millisecond that the
    /// telemetry's clock is shifted against the spans; nil when it has no
    /// energy.
    public var alignmentJoulesPerMillisecond: Double?

    /// Creates a query's energy.
    public init(id: String, joules: Double?, overheadJoules: Double?, turns: [TurnEnergy], flags: EnergyFlags) {
        self.id = id
        self.joules = joules
        self.overheadJoules = overheadJoules
        self.turns = turns
        self.flags = flags
    }
}

/// The attribution of one domain's energy over a run.
///
/// `deviceJoules` = `attributedJoules` + `idleJoules` and
/// `attributedJoules` = Σ queries' `joules`.
public struct DomainAttribution: Sendable, Hashable {
    /// The domain.
    public var domain: EnergyDomain
    /// The sources that contributed, sorted.
    public var sources: [String]
    /// All energy the domain's sources measured over their coverage; nil
    /// without usable telemetry.
    public var deviceJoules: Double?
    /// The part attributed to queries.
    public var attributedJoules: Double?
    /// The part spent while no query ran.
    public var idleJoules: Double?
    /// The queries, in the order given.
    public var queries: [QueryEnergy]
    /// What is uncertain about the run's figures.
    public var flags: EnergyFlags

    /// Creates a domain attribution.
    public init(
        domain: EnergyDomain, sources: [String], deviceJoules: Double?, attributedJoules: Double?,
        idleJoules: Double?, queries: [QueryEnergy], flags: EnergyFlags
    ) {
        self.domain = domain
        self.sources = sources
        self.deviceJoules = deviceJoules
        self.attributedJoules = attributedJoules
        self.idleJoules = idleJoules
        self.queries = queries
        self.flags = flags
    }
}

/// The result of ``EnergyAttributor/attribute(_:)``: one
/// ``DomainAttribution`` per domain, in the order gpu, cpu, dram.
public struct EnergyAttribution: Sendable, Hashable {
    /// Every domain, in the order gpu, cpu, dram.
    public var domains: [DomainAttribution]

    /// Creates an attribution.
    public init(domains: [DomainAttribution]) {
        self.domains = domains
    }

    /// The attribution of one domain.
    public subscript(domain: EnergyDomain) -> DomainAttribution {
        domains.first { $0.domain == domain }
            ?? DomainAttribution(domain: domain, sources: [], deviceJoules: nil, attributedJoules: nil,
                                 idleJoules: nil, queries: [], flags: EnergyFlags([.noSamples]))
    }
}
