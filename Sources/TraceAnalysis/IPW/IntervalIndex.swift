/// A static index of closed intervals `[low, high]` that finds every
/// interval holding a point in O(log n + hits), whatever the order points
/// are asked in (a centred interval tree in flat arrays).
struct IntervalIndex {
    private struct Node {
        var center: Double
        /// This node's intervals sorted by low (ascending) and by high
        /// (descending), as ranges of ``byLow`` and ``byHigh``.
        var members: Range<Int>
        var left: Int
        var right: Int
    }

    private var nodes: [Node] = []
    private var byLow: [(low: Double, id: Int)] = []
    private var byHigh: [(high: Double, id: Int)] = []
    private var root = -1

    /// Indexes `intervals`; an interval's id is its position. Intervals with
    /// NaN bounds or `low > high` hold no point and are left out.
    init(_ intervals: [(low: Double, high: Double)]) {
        let ids = intervals.indices.filter { intervals[$0].low <= intervals[$0].high }
        root = build(ids, intervals)
    }

    private mutating func build(_ ids: [Int], _ intervals: [(low: Double, high: Double)]) -> Int {
        guard !ids.isEmpty else { return -1 }
        // The median of the endpoints splits the rest in halves or better.
        var points = ids.flatMap { [intervals[$0].low, intervals[$0].high] }
        points.sort()
        let center = points[points.count / 2]
        var left: [Int] = [], right: [Int] = [], here: [Int] = []
        for id in ids {
            if intervals[id].high < center {
                left.append(id)
            } else if intervals[id].low > center {
                right.append(id)
            } else {
                here.append(id)
            }
        }
        let start = byLow.count
        byLow += here.map { (intervals[$0].low, $0) }.sorted { ($0.low, $0.id) < ($1.low, $1.id) }
        byHigh += here.map { (intervals[$0].high, $0) }.sorted { ($0.high, $1.id) > ($1.high, $0.id) }
        let index = nodes.count
        nodes.append(Node(center: center, members: start..<byLow.count, left: -1, right: -1))
        let l = build(left, intervals)
        let r = build(right, intervals)
        nodes[index].left = l
        nodes[index].right = r
        return index
    }

    /// Calls `body` with the id of every interval holding `x` (each once,
    /// in no particular order).
    func forEach(holding x: Double, _ body: (Int) -> Void) {
        guard !x.isNaN else { return }
        var node = root
        while node >= 0 {
            let n = nodes[node]
            if x < n.center {
                for k in n.members {
                    guard byLow[k].low <= x else { break }
                    body(byLow[k].id)
                }
                node = n.left
            } else if x > n.center {
                for k in n.members {
                    guard byHigh[k].high >= x else { break }
                    body(byHigh[k].id)
                }
                node = n.right
            } else {
                for k in n.members { body(byLow[k].id) }
                return
            }
        }
    }
}
