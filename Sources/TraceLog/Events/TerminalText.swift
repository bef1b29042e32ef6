/// Text from a log or a socket made safe for a terminal: control characters
/// (C0 but tab and line feed, DEL, C1) and the bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069) are written as `\u{XXXX}`, so a
/// model name or query id can neither move the cursor, retitle the window,
/// clear the screen nor reverse the text around it.
public enum TerminalText {
    /// `text` with every unsafe character escaped.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a character may not reach a terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
