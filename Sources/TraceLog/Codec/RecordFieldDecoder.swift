/// Decodes the tagged fields of one record body into a payload.
struct RecordFieldDecoder {
    var reader: ByteReader
    /// The segment's string table so far, valid while the decoder is used.
    let strings: UnsafeBufferPointer<String>
    let bodyOffset: Int
    /// The sender's process id (field 31), once the body has been read.
    var sender: Int32?

    init(reader: ByteReader, strings: UnsafeBufferPointer<String>, bodyOffset: Int) {
        self.reader = reader
        self.strings = strings
        self.bodyOffset = bodyOffset
    }

    /// A decoded field value.
    enum Value {
        case unsigned(UInt64)
        case signed(Int64)
        case double(Double)
        case string(String)
        case label(Label)
    }

    static func skip(wireType: UInt64, in reader: inout ByteReader, offset: Int) throws(SegmentDecodingError) {
        switch wireType {
        case 0, 1, 3: _ = try reader.readVarint()
        case 2: _ = try reader.readDouble()
        case 4: _ = try reader.readBytes(try reader.readVarint())
        case 5:
            _ = try reader.readVarint()
            _ = try reader.readVarint()
        default: throw .malformed("unknown wire type \(wireType)", at: offset + reader.position)
        }
    }

    mutating func string(_ index: UInt64) throws(SegmentDecodingError) -> String {
        guard index < UInt64(strings.count) else {
            throw .malformed("string reference \(index) not defined (table has \(strings.count))",
                at: bodyOffset + reader.position)
        }
        return strings[Int(index)]
    }

    /// Reads the next field: its number and value. Unknown wire types throw.
    mutating func next() throws(SegmentDecodingError) -> (UInt64, Value)? {
        if reader.isAtEnd { return nil }
        var tag = try reader.readVarint()
        // The sender's id, common to every event kind: kept aside.
        while tag == FieldNumber.senderPID << 3 {
            let value = try reader.readVarint()
            sender = value > 0 && value <= UInt64(Int32.max) ? Int32(value) : nil
            if reader.isAtEnd { return nil }
            tag = try reader.readVarint()
        }
        let number = tag >> 3
        switch tag & 7 {
        case 0: return (number, .unsigned(try reader.readVarint()))
        case 1: return (number, .signed(try reader.readSignedVarint()))
        case 2: return (number, .double(try reader.readDouble()))
        case 3: return (number, .string(try string(try reader.readVarint())))
        case 4: return (number, .string(try reader.readString(try reader.readVarint())))
        case 5:
            let key = try string(try reader.readVarint())
            let value = try string(try reader.readVarint())
            return (number, .label(Label(key, value)))
        default:
            throw .malformed("unknown wire type \(tag & 7)", at: bodyOffset + reader.position)
        }
    }

    func fail(_ what: String) -> SegmentDecodingError {
        .malformed(what, at: bodyOffset + reader.position)
    }
}

extension RecordFieldDecoder.Value {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var double: Double? { if case .double(let d) = self { d } else { nil } }
    var int: Int64? {
        switch self {
        case .signed(let v): v
        case .unsigned(let v): v <= UInt64(Int64.max) ? Int64(v) : nil
        default: nil
        }
    }
    var bool: Bool? { if case .unsigned(let v) = self { v != 0 } else { nil } }
    var label: Label? { if case .label(let l) = self { l } else { nil } }
}
