/// Numbers the (domain, source) pairs of a run's samples in order of first
/// appearance: one slot per energy series. Sources are searched linearly (a
/// run has a few), so no string is hashed per sample.
struct SeriesSlots: Sendable {
    /// Each slot's domain and source.
    private(set) var keys: [(domain: EnergyDomain, source: String)] = []
    /// The sources seen, each with its slot per domain (-1: none yet).
    private var sources: [(name: String, slots: [Int])] = []

    /// The domains, in slot-lookup order (gpu, cpu, dram).
    static let domains = EnergyDomain.allCases

    /// The position of source `name`, if seen.
    /// The source name at a position.
    func name(at position: Int) -> String { sources[position].name }

    func position(of name: String) -> Int? {
        sources.firstIndex { $0.name == name }
    }

    /// The position of source `name`, added when new.
    mutating func position(adding name: String) -> Int {
        if let position = position(of: name) { return position }
        sources.append((name, Array(repeating: -1, count: Self.domains.count)))
        return sources.count - 1
    }

    /// The slot of domain `d` of the source at `position`, if it has one.
    func slot(domain d: Int, source position: Int) -> Int? {
        let slot = sources[position].slots[d]
        return slot >= 0 ? slot : nil
    }

    /// The slot of domain `d` of the source at `position`, added when new
    /// (its number is then the previous ``count``).
    mutating func slot(adding d: Int, source position: Int) -> Int {
        if let slot = slot(domain: d, source: position) { return slot }
        keys.append((Self.domains[d], sources[position].name))
        sources[position].slots[d] = keys.count - 1
        return keys.count - 1
    }

    /// The number of slots.
    var count: Int { keys.count }

    /// The slots ordered by domain (gpu, cpu, dram), then source name: the
    /// order series are attributed and reported in.
    var sorted: [Int] {
        keys.indices.sorted { (keys[$0].domain, keys[$0].source) < (keys[$1].domain, keys[$1].source) }
    }
}
