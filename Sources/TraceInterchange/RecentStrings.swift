/// Strings made recently from short string values, found again by their
/// packed bytes: ids and source names repeat from line to line, and reusing
/// the string skips building it (which validates the UTF-8 once more).
///
/// Direct-mapped: each name hashes to one of 16 slots and replaces whatever
/// was there. An empty slot holds the empty name and the empty string, which
/// is a correct entry too.
struct RecentStrings: Sendable {
    private var slots = [(name: PackedName, string: String)](repeating: (PackedName(), ""), count: 16)

    /// A shared instance to leave in place of one lent out (assigning it
    /// allocates nothing; using it would copy it first, as for any value).
    static let placeholder = RecentStrings()

    /// The string whose UTF-8 is `bytes[range]` (valid UTF-8, as the
    /// scanner checked).
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard let name = PackedName(bytes, range) else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        let slot = Int(truncatingIfNeeded: name.hash >> 60)
        if slots[slot].name == name { return slots[slot].string }
        let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        slots[slot] = (name, string)
        return string
    }
}
