/// SHA-256 (FIPS 180-4) of whole byte strings, used to name price tables
/// and logs by their content (see ``SHA256Hasher`` for streaming).
public enum ContentDigest {
    /// The 32-byte digest of `bytes`.
    public static func digest<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The digest of a string's UTF-8 bytes as lowercase hexadecimal.
    public static func hex(_ text: String) -> String {
        hex(Array(text.utf8))
    }
}
