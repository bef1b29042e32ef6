import TraceLog

/// Payload equality that treats two NaNs as equal (bit for bit), which the
/// event model's synthesized `==` does not do for `QueryEnd` and
/// `InferenceEnd`.
func samePayload(_ a: EventPayload, _ b: EventPayload) -> Bool {
    func same(_ x: Double?, _ y: Double?) -> Bool {
        switch (x, y) {
        case (nil, nil): true
        case (let x?, let y?): x.bitPattern == y.bitPattern
        default: false
        }
    }
    switch (a, b) {
    case (.queryEnd(var x), .queryEnd(var y)):
        guard same(x.score, y.score) else { return false }
        x.score = nil
        y.score = nil
        return x == y
    case (.inferenceEnd(var x), .inferenceEnd(var y)):
        guard same(x.costUSD, y.costUSD), same(x.timeToFirstTokenSeconds, y.timeToFirstTokenSeconds) else {
            return false
        }
        x.costUSD = nil
        y.costUSD = nil
        x.timeToFirstTokenSeconds = nil
        y.timeToFirstTokenSeconds = nil
        return x == y
    default:
        return a == b
    }
}
