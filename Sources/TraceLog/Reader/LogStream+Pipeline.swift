import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of its own (not a worker of a shared pool, which a caller
/// blocked on the hand-over could starve), joined by ``join()``.
package final class OwnThread: @unchecked Sendable {
    private let work: () -> Void
    private var thread: pthread_t?

    package init(_ work: @escaping @Sendable () -> Void) {
        self.work = work
    }

    /// Starts the thread; false when no thread could be made.
    package func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let made = pthread_create(&handle, nil, { context in
            let me = Unmanaged<OwnThread>.fromOpaque(context!).takeRetainedValue()
            me.work()
            return nil
        }, context)
        guard made == 0 else {
            Unmanaged<OwnThread>.fromOpaque(context).release()
            return false
        }
        thread = handle
        return true
    }

    /// Starts the thread to run on its own (never joined); false when no
    /// thread could be made.
    package func startDetached() -> Bool {
        guard start(), let thread else { return false }
        pthread_detach(thread)
        self.thread = nil
        return true
    }

    /// Waits for the thread to end.
    package func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }
}

/// Part of a segment decoded ahead of its visit: the segment's header (in
/// its first batch), its samples as energy fields and its other events, in
/// record order. A segment of more than ``DecodedBatch/sampleLimit``
/// samples goes in several batches, so what is decoded ahead stays a few
/// megabytes however large the segments are.
struct DecodedBatch: @unchecked Sendable {
    /// At most this many samples in one batch.
    static let sampleLimit = 16_384

    var header: SegmentHeader?
    /// Whether the batch goes on the segment of the batch before it.
    var continues = false
    /// (sequence, timestamp, index into ``sourceNames``, fields).
    var samples: [(sequence: UInt64, timestamp: Int64, source: Int32, fields: EnergyFields)] = []
    var events: [TraceEvent] = []
    /// For each event, how many samples come before it in the segment.
    var eventPositions: [Int] = []
    /// The segment's sources first met in this batch, in order of first
    /// appearance (nil: no source); samples index the segment's list.
    var sourceNames: [String?] = []
}

/// A bounded hand-over of batches from the decoding thread to the visiting
/// one, in order.
final class BatchQueue: @unchecked Sendable {
    enum Item {
        case batch(DecodedBatch)
        case end(LogStream.Pass)
    }
    private let items = Mutex<[Item]>([])
    /// Batches visited and emptied, their storage kept for the next ones
    /// (no allocation per segment, and none freed on another thread).
    private let spare = Mutex<[DecodedBatch]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore

    /// An empty batch, reusing a visited one's storage when there is one.
    func emptyBatch() -> DecodedBatch {
        spare.withLock { $0.popLast() } ?? DecodedBatch()
    }

    /// Gives a visited batch's storage back.
    func recycle(_ batch: consuming DecodedBatch) {
        var batch = batch
        batch.header = nil
        batch.continues = false
        batch.samples.removeAll(keepingCapacity: true)
        batch.events.removeAll(keepingCapacity: true)
        batch.eventPositions.removeAll(keepingCapacity: true)
        batch.sourceNames.removeAll(keepingCapacity: true)
        let emptied = batch
        spare.withLock { $0.append(emptied) }
    }

    init(capacity: Int) {
        space = DispatchSemaphore(value: capacity)
    }

    func push(_ item: Item) {
        space.wait()
        items.withLock { $0.append(item) }
        filled.signal()
    }

    func pop() -> Item {
        filled.wait()
        let item = items.withLock { $0.removeFirst() }
        space.signal()
        return item
    }
}

extension LogStream {
    /// ``forEachEnergy(in:samplesOnly:segment:_:sourceID:visitEnergy:)-(String,_,_,_,_,_)``
    /// on two threads: one reads, decompresses and decodes the frames, a few
    /// segments ahead, while the calling thread visits them, in the same
    /// order and with the same outcome as the one-thread pass.
    static func forEachEnergyPipelined(
        in files: [File], readingWhole: Bool, samplesOnly: Bool, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void, sourceID: (String?) -> Int,
        visitEnergy: (_ sequence: UInt64, _ timestamp: Int64, _ source: Int, _ fields: EnergyFields) -> Void
    ) -> Pass {
        let queue = BatchQueue(capacity: 2)
        let producer = OwnThread {
            var batch = DecodedBatch()
            let pass = forEachSegment(in: files, readingWhole: readingWhole) { content throws(SegmentDecodingError) in
                batch = queue.emptyBatch()
                defer {
                    if batch.header != nil || batch.continues {
                        queue.push(.batch(batch))
                        batch = DecodedBatch()
                    }
                }
                var local: [String?] = []
                return try SegmentDecoder.decodeEnergy(
                    content, samplesOnly: samplesOnly, segment: { batch.header = $0 },
                    visit: { event in
                        batch.events.append(event)
                        batch.eventPositions.append(batch.samples.count)
                    },
                    sourceID: { name in
                        local.append(name)
                        batch.sourceNames.append(name)
                        return local.count - 1
                    },
                    visitEnergy: { sequence, timestamp, source, fields in
                        batch.samples.append((sequence, timestamp, Int32(truncatingIfNeeded: source), fields))
                        if batch.samples.count >= DecodedBatch.sampleLimit && (batch.header != nil || batch.continues) {
                            queue.push(.batch(batch))
                            batch = queue.emptyBatch()
                            batch.continues = true
                        }
                    })
            }
            queue.push(.end(pass))
        }
        if !producer.start() {
            // No thread to be had: decode on this one, the same way.
            return forEachSegment(in: files, readingWhole: readingWhole) { content throws(SegmentDecodingError) in
                try SegmentDecoder.decodeEnergy(
                    content, samplesOnly: samplesOnly, segment: segment, visit: visit, sourceID: sourceID,
                    visitEnergy: visitEnergy)
            }
        }
        // The segment's sources, as the visitor numbers them.
        var sources: [Int] = []
        while true {
            switch queue.pop() {
            case .end(let pass):
                producer.join()
                return pass
            case .batch(let batch):
                if let header = batch.header {
                    segment(header)
                    sources.removeAll(keepingCapacity: true)
                } else if !batch.continues {
                    continue
                }
                for name in batch.sourceNames { sources.append(sourceID(name)) }
                var nextEvent = 0
                for (k, sample) in batch.samples.enumerated() {
                    while nextEvent < batch.events.count, batch.eventPositions[nextEvent] <= k {
                        visit(batch.events[nextEvent])
                        nextEvent += 1
                    }
                    visitEnergy(sample.sequence, sample.timestamp, sources[Int(sample.source)], sample.fields)
                }
                while nextEvent < batch.events.count {
                    visit(batch.events[nextEvent])
                    nextEvent += 1
                }
                queue.recycle(batch)
            }
        }
    }
}
