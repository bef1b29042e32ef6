import CZlib
import Foundation

/// gzip decompression with a bound on the output (`Content-Encoding: gzip`).
enum Gzip {
    enum Failure: Error {
        case invalid(String)
        case tooLarge
    }

    /// The content of gzip data `input`; throws ``Failure/tooLarge`` past `limit` bytes.
    static func decompress(_ input: Data, limit: Int) throws(Failure) -> Data {
        var stream = z_stream()
        guard agent_trace_inflate_init_gzip(&stream) == Z_OK else { throw .invalid("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var status: Int32 = Z_OK
        var failure: Failure?
        input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(raw.count)
            while status == Z_OK {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(buffer.baseAddress!, count: buffer.count - Int(stream.avail_out))
                }
                if output.count > limit {
                    failure = .tooLarge
                    return
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
            }
        }
        if let failure { throw failure }
        guard status == Z_STREAM_END else { throw .invalid("not valid gzip data (zlib status \(status))") }
        return output
    }
}
