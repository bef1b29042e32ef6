/// A run's queries and spans grouped by query id, as indices into its
/// structure, for the views that join a query row to its spans by
/// `query_id`: a query id used twice in one run is one group (its queries'
/// spans pooled), and a span outside every query that names a query id
/// joins that id's group.
///
/// Each group's members are kept in one flat array per kind, a range per
/// group (no array or dictionary per query): the ended inferences in order
/// of their end records, the tool calls in order of their end records
/// (calls never ended at their start record's position), the same orders
/// as ``RunStructure/endedInferences`` and
/// ``RunStructure/toolCallsInRecordOrder`` restricted to the group.
struct QueryGroups {
    /// The group of each query id.
    private var groupOfID: [String: Int] = [:]
    /// Each group's queries, in start order, as one flat array and each
    /// group's range in it.
    private var queries = Grouped()
    /// Each group's ended inferences.
    private var ended = Grouped()
    /// Each group's tool calls.
    private var tools = Grouped()
    /// How many of each group's spans are not ``StructureSpan/State/finished``.
    private(set) var unfinished: [Int] = []

    /// Indices grouped into ranges of one flat array.
    struct Grouped {
        /// The members, group by group.
        var members: [Int] = []
        /// Group `g`'s members are `members[starts[g]..<starts[g + 1]]`.
        var starts: [Int] = [0]

        /// Groups `items` (each with its group, in the order given) keeping
        /// their order within each group.
        init(_ items: [(group: Int, member: Int)] = [], groups: Int = 0) {
            var counts = [Int](repeating: 0, count: groups + 1)
            for item in items { counts[item.group + 1] += 1 }
            for g in 0..<groups { counts[g + 1] += counts[g] }
            starts = counts
            var next = counts
            members = [Int](repeating: 0, count: items.count)
            for item in items {
                members[next[item.group]] = item.member
                next[item.group] += 1
            }
        }

        /// Group `g`'s members.
        subscript(group: Int) -> ArraySlice<Int> { members[starts[group]..<starts[group + 1]] }

        /// Sorts each group's members by `key`, ties by member (a stable
        /// order whatever the sort).
        mutating func sortEach(by key: (Int) -> UInt64) {
            let starts = self.starts
            members.withUnsafeMutableBufferPointer { all in
                for g in 0..<(starts.count - 1) where starts[g + 1] - starts[g] > 1 {
                    var group = UnsafeMutableBufferPointer(rebasing: all[starts[g]..<starts[g + 1]])
                    group.sort { (key($0), $0) < (key($1), $1) }
                }
            }
        }
    }

    /// Groups a run's structure.
    init(_ structure: RunStructure) {
        let spans = structure.spans
        var groupOfQuery: [Int] = []
        groupOfQuery.reserveCapacity(structure.queries.count)
        groupOfID.reserveCapacity(structure.queries.count)
        for query in structure.queries {
            if let group = groupOfID[query.queryID] {
                groupOfQuery.append(group)
            } else {
                groupOfQuery.append(groupOfID.count)
                groupOfID[query.queryID] = groupOfID.count
            }
        }
        var endedItems: [(group: Int, member: Int)] = []
        var toolItems: [(group: Int, member: Int)] = []
        var unfinishedItems: [Int] = []
        for index in spans.indices {
            let span = spans[index]
            let group: Int
            if let q = span.query, q >= 0, q < groupOfQuery.count {
                group = groupOfQuery[q]
            } else if let id = span.queryID {
                if let known = groupOfID[id] {
                    group = known
                } else {
                    group = groupOfID.count
                    groupOfID[id] = group
                }
            } else {
                continue
            }
            if span.kind == .inference && span.endSequence != nil { endedItems.append((group, index)) }
            if span.kind == .tool { toolItems.append((group, index)) }
            if span.state != .finished { unfinishedItems.append(group) }
        }
        let groups = groupOfID.count
        queries = Grouped(groupOfQuery.enumerated().map { ($0.element, $0.offset) }, groups: groups)
        ended = Grouped(endedItems, groups: groups)
        ended.sortEach { spans[$0].endSequence ?? 0 }
        tools = Grouped(toolItems, groups: groups)
        tools.sortEach { spans[$0].orderSequence }
        unfinished = [Int](repeating: 0, count: groups)
        for group in unfinishedItems { unfinished[group] += 1 }
    }

    /// The group of a query id, if any query or span names it.
    func group(of id: String) -> Int? { groupOfID[id] }

    /// The group's queries, in start order (none for a group of spans
    /// outside every query).
    func queries(of group: Int) -> ArraySlice<Int> { queries[group] }

    /// The group's ended inferences, in order of their end records.
    func endedInferences(of group: Int) -> ArraySlice<Int> { ended[group] }

    /// The group's tool calls, in order of their end records.
    func toolCalls(of group: Int) -> ArraySlice<Int> { tools[group] }
}
