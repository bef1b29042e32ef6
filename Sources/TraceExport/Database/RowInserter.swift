import TraceAnalysis

/// Inserts the rows of one table with prepared statements that insert
/// several rows each (`INSERT … VALUES (…), (…), …`), gathering the rows'
/// text (strings, and lists and objects as JSON) in one reused buffer that
/// SQLite reads in place until the statement is stepped.
///
/// Values that are the same for every row (the identifying columns, and
/// columns whose value does not change over the load) are bound once, as
/// numbered parameters that every row of a statement refers to. One step
/// inserting many rows spares SQLite the per-statement work (starting the
/// program, opening and seeking the table's cursor, halting) for all but
/// one of them.
///
/// Binding text with `SQLITE_TRANSIENT` costs SQLite an allocation and a
/// copy per value; here a row's text costs one copy into the buffer and no
/// allocation in steady state. Text that does not fit the buffer's free
/// space is bound with a copy instead, so any row is accepted.
final class RowInserter {
    /// The rows one multi-row statement inserts (fewer when the parameter
    /// limit is low or the rows are wide).
    let rowsPerStatement: Int
    /// The statement that inserts ``rowsPerStatement`` rows, and the one that
    /// inserts one (for the rows left over).
    private var many: SQLiteStatement?
    private let one: SQLiteStatement
    /// The row positions bound per row, in parameter order.
    private let columns: [Int]
    /// The number of parameters bound once.
    private let sharedCount: Int
    /// The text bytes of the rows being bound.
    private let buffer: UnsafeMutableRawBufferPointer
    /// The bytes of ``buffer`` in use by the current statement.
    private var used = 0
    /// Reused for the JSON text of lists and objects that do not fit the buffer.
    private var json = ""

    /// Prepares the inserts into `table`: the columns `sharedNames` get
    /// `sharedValues` in every row; the columns `names` get the values at
    /// `columns` of each row. At most `rowsPerStatement` rows go into one
    /// statement; the text buffer holds `capacity` bytes.
    init(
        connection: SQLiteConnection, table: String, sharedNames: [String], sharedValues: [SQLiteValue],
        names: [String], columns: [Int], rowsPerStatement: Int = 16, capacity: Int = 1 << 16
    ) throws(SQLiteError) {
        self.columns = columns
        sharedCount = sharedValues.count
        let limit = Int(connection.parameterLimit)
        self.rowsPerStatement = max(1, min(rowsPerStatement, (limit - sharedValues.count) / max(1, columns.count)))
        let head = "INSERT OR FAIL INTO \(DatabaseSchema.quoted(table)) ("
            + (sharedNames + names).map(DatabaseSchema.quoted).joined(separator: ", ") + ") VALUES "
        let shared = (0..<sharedValues.count).map { "?\($0 + 1)" }
        func tuple(_ row: Int) -> String {
            let own = (0..<columns.count).map { "?\(sharedValues.count + row * columns.count + $0 + 1)" }
            return "(" + (shared + own).joined(separator: ", ") + ")"
        }
        one = try connection.prepare(head + tuple(0))
        if self.rowsPerStatement > 1 {
            many = try connection.prepare(head + (0..<self.rowsPerStatement).map(tuple).joined(separator: ", "))
        }
        for statement in [one, many].compactMap({ $0 }) {
            for (i, value) in sharedValues.enumerated() { statement.bind(value, at: Int32(i + 1)) }
        }
        buffer = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit {
        // No parameter may refer to the buffer once it is freed.
        one.clearBindings()
        many?.clearBindings()
        buffer.deallocate()
    }

    /// Inserts `rows`, their values stored as ``SQLiteValue/init(_:)`` stores
    /// them; `inserted` is told how many rows each step inserted.
    func insert(_ rows: [[AnalysisValue]], inserted: (Int) -> Void) throws(SQLiteError) {
        var start = rows.startIndex
        while start < rows.endIndex {
            let count = rows.endIndex - start >= rowsPerStatement ? rowsPerStatement : 1
            let statement = count > 1 ? many! : one
            // Binding and stepping happen here, together, so the buffer
            // holds the text while SQLite reads it.
            used = 0
            var parameter = Int32(sharedCount + 1)
            for row in rows[start..<start + count] { bind(row, to: statement, from: &parameter) }
            try statement.step()
            statement.reset()
            start += count
            inserted(count)
        }
    }

    /// Binds `row`'s values from parameter `parameter` on, advancing it.
    private func bind(_ row: [AnalysisValue], to statement: SQLiteStatement, from parameter: inout Int32) {
        for column in columns {
            let value = row[column]
            switch value {
            case .null: statement.bindNull(at: parameter)
            case .bool(let b): statement.bindInteger(b ? 1 : 0, at: parameter)
            case .int(let i): statement.bindInteger(i, at: parameter)
            case .double(let d): statement.bindReal(d, at: parameter)
            case .string(var s): s.withUTF8 { bindText($0, to: statement, at: parameter) }
            case .strings, .object:
                // The JSON text is written straight into the buffer; only
                // when it does not fit is it built as a string and copied.
                var end = used
                if appendJSON(value, at: &end) {
                    statement.bindTextInPlace(UnsafeRawBufferPointer(rebasing: buffer[used..<end]), at: parameter)
                    used = end
                } else {
                    json.removeAll(keepingCapacity: true)
                    ValueText.writeJSON(value, to: &json)
                    json.withUTF8 { statement.bindText($0, at: parameter) }
                }
            }
            parameter += 1
        }
    }

    /// Binds text from the buffer when it fits, else with a copy.
    private func bindText(_ text: UnsafeBufferPointer<UInt8>, to statement: SQLiteStatement, at parameter: Int32) {
        guard text.count <= buffer.count - used else {
            statement.bindText(text, at: parameter)
            return
        }
        let slot = UnsafeMutableRawBufferPointer(rebasing: buffer[used..<used + text.count])
        slot.copyMemory(from: UnsafeRawBufferPointer(text))
        used += text.count
        statement.bindTextInPlace(UnsafeRawBufferPointer(slot), at: parameter)
    }

    // MARK: JSON text in the buffer

    /// Appends the JSON text of `value` (what ``ValueText/writeJSON(_:to:)``
    /// writes) to the buffer at `end`, advancing it; false when it does not
    /// fit, with `end` somewhere past the start.
    private func appendJSON(_ value: AnalysisValue, at end: inout Int) -> Bool {
        switch value {
        case .null: return append("null", at: &end)
        case .bool(let b): return append(b ? "true" : "false", at: &end)
        case .int(let i): return append(String(i), at: &end)
        case .double(let d): return append(d.isFinite ? d.description : "null", at: &end)
        case .string(let s): return appendJSONString(s, at: &end)
        case .strings(let list):
            guard appendByte(0x5B, at: &end) else { return false }
            for (i, s) in list.enumerated() {
                guard i == 0 || appendByte(0x2C, at: &end), appendJSONString(s, at: &end) else { return false }
            }
            return appendByte(0x5D, at: &end)
        case .object(let pairs):
            guard appendByte(0x7B, at: &end) else { return false }
            for (i, pair) in pairs.enumerated() {
                guard i == 0 || appendByte(0x2C, at: &end), appendJSONString(pair.0, at: &end),
                      appendByte(0x3A, at: &end), appendJSON(pair.1, at: &end) else { return false }
            }
            return appendByte(0x7D, at: &end)
        }
    }

    /// Appends a JSON string literal; strings that need escapes are escaped
    /// by ``ValueText/writeJSONString(_:to:)``.
    private func appendJSONString(_ s: String, at end: inout Int) -> Bool {
        var s = s
        let plain = s.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
        }
        guard plain else {
            var escaped = ""
            ValueText.writeJSONString(s, to: &escaped)
            return append(escaped, at: &end)
        }
        guard appendByte(0x22, at: &end), append(s, at: &end) else { return false }
        return appendByte(0x22, at: &end)
    }

    /// Appends the UTF-8 bytes of `text`.
    private func append(_ text: String, at end: inout Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count <= buffer.count - end else { return false }
            if let base = bytes.baseAddress, bytes.count > 0 {
                (buffer.baseAddress! + end).copyMemory(from: base, byteCount: bytes.count)
            }
            end += bytes.count
            return true
        }
    }

    /// Appends one byte.
    private func appendByte(_ byte: UInt8, at end: inout Int) -> Bool {
        guard end < buffer.count else { return false }
        buffer[end] = byte
        end += 1
        return true
    }
}
