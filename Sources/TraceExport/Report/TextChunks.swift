/// Text made piece by piece and handed to a sink in chunks of about
/// ``chunkBytes``, so that a large page (a chart of 20 000 queries is
/// megabytes of SVG) is never held whole.
///
/// `out += piece` appends; ``finish()`` hands over what is left. The chunks
/// joined are the pieces joined: only where the text is cut changes.
final class TextChunks {
    /// About how many bytes each chunk holds.
    static let chunkBytes = 1 << 16

    private var buffer = ""
    private let sink: (String) -> Void

    /// Text for `sink`, which gets each chunk as it fills.
    init(_ sink: @escaping (String) -> Void) {
        self.sink = sink
        buffer.reserveCapacity(Self.chunkBytes + Self.chunkBytes / 4)
    }

    /// Appends `piece`, handing the buffer over once it holds a chunk.
    static func += (chunks: TextChunks, piece: String) {
        chunks.buffer += piece
        if chunks.buffer.utf8.count >= chunkBytes {
            chunks.sink(chunks.buffer)
            chunks.buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Hands over what is left.
    func finish() {
        if !buffer.isEmpty { sink(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The text `body` makes, whole.
    static func collecting(_ body: (TextChunks) -> Void) -> String {
        var text = ""
        let chunks = TextChunks { text += $0 }
        body(chunks)
        chunks.finish()
        return text
    }
}
