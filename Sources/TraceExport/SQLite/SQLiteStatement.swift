import CSQLite

/// A prepared statement, reused for many rows: bind, ``step()``, ``reset()``.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// Keeps the connection open while the statement lives.
    let connection: SQLiteConnection
    let sql: String

    init(handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// SQLite copies bound text and blobs at once (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds an integer to the 1-based parameter `index`.
    public func bindInteger(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }

    /// Binds a real to the 1-based parameter `index`; a non-finite value binds NULL.
    public func bindReal(_ value: Double, at index: Int32) {
        if value.isFinite { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds NULL to the 1-based parameter `index`.
    public func bindNull(at index: Int32) { sqlite3_bind_null(handle, index) }

    /// Binds a value to the 1-based parameter `index`.
    public func bind(_ value: SQLiteValue, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let v): sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            if v.isFinite { sqlite3_bind_double(handle, index, v) } else { sqlite3_bind_null(handle, index) }
        case .text(let s): bindText(s, at: index)
        }
    }

    /// Binds text given as UTF-8 bytes (copied at once) to the 1-based parameter `index`.
    public func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            return
        }
        _ = sqlite3_bind_text(
            handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
            Self.transient)
    }

    /// Binds text given as UTF-8 bytes to the 1-based parameter `index`
    /// without copying them (`SQLITE_STATIC`): the bytes must stay valid and
    /// unchanged until the parameter is bound again or the bindings are
    /// cleared (``clearBindings()``).
    public func bindTextInPlace(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            return
        }
        _ = sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    /// Sets every parameter to NULL (so no parameter refers to bytes bound in place).
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    /// Binds a string to the 1-based parameter `index`.
    public func bindText(_ text: String, at index: Int32) {
        var text = text
        text.withUTF8 { bindText($0, at: index) }
    }

    /// Runs the statement one step: true when a row is available.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw SQLiteError(code: code, message: connection.lastMessage, context: sql)
    }

    /// Makes the statement ready to run again (bindings are kept).
    public func reset() {
        sqlite3_reset(handle)
    }

    /// The number of result columns.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// A result column as text, or nil for NULL.
    public func text(at column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let text = sqlite3_column_text(handle, column) else {
            return nil
        }
        return String(cString: text)
    }
}
