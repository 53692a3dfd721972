#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes. The real CLI writes to file descriptors; tests capture strings.
public final class OutputStream: @unchecked Sendable {
    private let fd: Int32?
    private var buffer: [UInt8] = []
    /// Everything written, when capturing.
    public private(set) var captured = ""

    /// A stream that writes to `fd`, buffered.
    public init(fd: Int32) { self.fd = fd }
    /// A stream that captures text in memory.
    public init() { self.fd = nil }

    /// Writes text as is.
    public func write(_ text: String) {
        guard let fd else { captured += text; return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush(fd) }
    }

    /// Writes a line.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Flushes buffered bytes.
    public func flush() { if let fd { flush(fd) } }

    private func flush(_ fd: Int32) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue } else { break } }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether the stream is a terminal.
    public var isTerminal: Bool { fd.map { isatty($0) == 1 } ?? false }
}

/// A minimal JSON value with stable key order, so output is a documented interface.
indirect enum JSON {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    func render(indent: Int = 0, pretty: Bool = true) -> String {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let end = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        switch self {
        case .string(let s): return JSON.quote(s)
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + nl + items.map { pad + $0.render(indent: indent + 1, pretty: pretty) }.joined(separator: "," + nl) + nl + end + "]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let sep = pretty ? ": " : ":"
            return "{" + nl + fields.map { pad + JSON.quote($0.0) + sep + $0.1.render(indent: indent + 1, pretty: pretty) }
                .joined(separator: "," + nl) + nl + end + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
