/// Puts time slices on as few tracks as needed so that slices on one track
/// nest properly (each slice lies wholly inside or wholly outside every
/// other), as the trace format requires of one thread.
///
/// Slices are placed in order of start time, longer first at equal starts
/// (then by rank, so a query encloses its turn and a turn its inference
/// when they coincide). Each goes on the first track where it nests inside
/// the innermost open slice, or where no slice is open; a slice that would
/// overlap another partially (a tool call outliving its turn, parallel tool
/// calls) goes on the next track, a new one if needed. Nothing is clipped.
struct TrackLayout {
    /// A slice to place.
    struct Slice {
        var start: Int64
        var end: Int64
        /// Orders slices with equal start and end: lower ranks enclose higher.
        var rank: Int
        /// The caller's index for the slice.
        var id: Int
    }

    /// The track (0-based) of each slice, by ``Slice/id``, and the number of tracks used.
    static func place(_ slices: [Slice]) -> (tracks: [Int: Int], count: Int) {
        let ordered = slices.sorted { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.id < b.id
        }
        var stacks: [[Int64]] = []  // per track, the ends of open slices
        var result: [Int: Int] = [:]
        for slice in ordered {
            var placed = false
            for t in stacks.indices {
                while let top = stacks[t].last, top <= slice.start {
                    stacks[t].removeLast()
                }
                if let top = stacks[t].last, top < slice.end { continue }
                stacks[t].append(slice.end)
                result[slice.id] = t
                placed = true
                break
            }
            if !placed {
                stacks.append([slice.end])
                result[slice.id] = stacks.count - 1
            }
        }
        return (result, stacks.count)
    }
}
