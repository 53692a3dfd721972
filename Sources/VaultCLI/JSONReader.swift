// Reading JSON without Foundation: `vault` does not link Foundation (it costs milliseconds of start-up
// on every command), so the JSON input of `vault add --from-json` and `vault import` goes through this
// strict RFC 8259 reader. The writer is `JSON` in Output.swift.

/// A parsed JSON value. Numbers keep their literal text ("1200.50" stays "1200.50"), so amounts pass to
/// the decimal parsers exactly as written, never through a binary floating-point value.
enum JSONValue: Equatable, Sendable {
    case string(String)
    /// The number's literal text, which matches the RFC 8259 number grammar.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object(JSONObject)

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var numberText: String? { if case .number(let n) = self { return n } else { return nil } }
    var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var object: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The number as an `Int` when it is integral and fits: "3", "-0", "3.0", "3e2", "300e-2"; nil for
    /// fractions ("3.5"), out-of-range values and anything that is not a number.
    var integer: Int? { numberText.flatMap(JSONValue.integer(literal:)) }

    /// The integral value of a JSON number literal, exactly (no floating point).
    static func integer(literal: String) -> Int? {
        var u = Array(literal.utf8)[...]
        let negative = u.first == UInt8(ascii: "-")
        if negative { u = u.dropFirst() }
        var digits: [UInt8] = []  // significant digits, int then fraction part
        var exponent = 0          // value = digits * 10^exponent
        while let c = u.first, c >= 0x30 && c <= 0x39 { digits.append(c &- 0x30); u = u.dropFirst() }
        guard !digits.isEmpty else { return nil }
        if u.first == UInt8(ascii: ".") {
            u = u.dropFirst()
            while let c = u.first, c >= 0x30 && c <= 0x39 { digits.append(c &- 0x30); exponent -= 1; u = u.dropFirst() }
        }
        if let e = u.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            u = u.dropFirst()
            var sign = 1
            if u.first == UInt8(ascii: "+") { u = u.dropFirst() } else if u.first == UInt8(ascii: "-") { sign = -1; u = u.dropFirst() }
            var e = 0
            guard !u.isEmpty else { return nil }
            while let c = u.first, c >= 0x30 && c <= 0x39 {
                e = min(e * 10 + Int(c &- 0x30), 1_000_000)  // saturates: far beyond any Int either way
                u = u.dropFirst()
            }
            exponent += sign * e
        }
        guard u.isEmpty else { return nil }
        // Without leading zeros, and with trailing zeros moved into the exponent.
        guard let first = digits.firstIndex(where: { $0 != 0 }), let last = digits.lastIndex(where: { $0 != 0 }) else { return 0 }
        exponent += digits.count - 1 - last
        let significant = digits[first...last]
        guard exponent >= 0, significant.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for d in significant + [UInt8](repeating: 0, count: exponent) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return nil }
            magnitude = a
        }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }
}

/// A JSON object: its members in document order, and lookup by key. Keys are unique (the reader
/// refuses duplicates), compared as Swift strings, i.e. up to Unicode canonical equivalence.
struct JSONObject: Equatable, Sendable {
    /// Members in document order.
    private(set) var members: [(key: String, value: JSONValue)] = []
    /// Key to member index; built only for objects with many members (small ones are scanned).
    private var index: [String: Int]?
    private static let indexThreshold = 12

    init() {}

    /// Builds an object; nil when a key repeats (for the reader, which reports it).
    init?(_ members: [(String, JSONValue)]) {
        for (k, v) in members { guard append(k, v) else { return nil } }
    }

    /// Adds a member; false (and nothing added) when the key is already present.
    mutating func append(_ key: String, _ value: JSONValue) -> Bool {
        guard position(of: key) == nil else { return false }
        members.append((key, value))
        if index != nil {
            index![key] = members.count - 1
        } else if members.count > JSONObject.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (i, m) in members.enumerated() { built[m.key] = i }
            index = built
        }
        return true
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    subscript(key: String) -> JSONValue? { position(of: key).map { members[$0].value } }
    var keys: [String] { members.map(\.key) }
    var count: Int { members.count }

    static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Why a JSON text was refused, and where.
struct JSONParseError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The byte offset of the problem from the start of the input, counting from 0.
    var offset: Int
    /// A short reason, e.g. "expected ':' after an object key".
    var reason: String
    var description: String { "\(reason) at byte \(offset)" }
}

/// A strict RFC 8259 JSON reader: one value (any type) with optional surrounding whitespace and an
/// optional leading UTF-8 byte order mark; strings must be valid UTF-8 with no raw control characters,
/// escapes as in the RFC (surrogate pairs joined, lone surrogates refused); numbers must follow the
/// RFC grammar; duplicate keys in an object, nesting deeper than `maxDepth` and anything after the
/// value are refused. Linear in the input size.
enum JSONReader {
    /// Arrays and objects nested deeper than this are refused (the reader recurses once per level).
    static let maxDepth = 64

    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer)
            do throws(JSONParseError) { return .success(try parser.document()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var pos = 0
        /// Bytes of the string being decoded, reused between strings that contain escapes.
        var scratch: [UInt8] = []

        init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

        func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
            JSONParseError(offset: offset ?? pos, reason: reason)
        }

        /// What the byte at `pos` is, for messages.
        func found() -> String {
            guard pos < b.count else { return "the end of the input" }
            let c = b[pos]
            if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
            let hex = String(c, radix: 16, uppercase: true)
            return "byte 0x" + (hex.count < 2 ? "0" : "") + hex
        }

        mutating func skipWhitespace() {
            while pos < b.count {
                switch b[pos] {
                case 0x20, 0x09, 0x0A, 0x0D: pos += 1
                default: return
                }
            }
        }

        mutating func document() throws(JSONParseError) -> JSONValue {
            if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { pos = 3 }
            skipWhitespace()
            if pos == b.count { throw fail(pos == 0 ? "empty input" : "no JSON value (only whitespace)") }
            let value = try self.value(depth: 0)
            skipWhitespace()
            guard pos == b.count else { throw fail("unexpected \(found()) after the JSON value") }
            return value
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard pos < b.count else { throw fail("unexpected end of input, expected a value") }
            switch b[pos] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw fail("expected a value, found \(found())")
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONParseError) {
            let start = pos
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for c in w {
                guard pos < b.count, b[pos] == c else { throw fail("invalid literal, expected '\(word)'", at: start) }
                pos += 1
            }
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONReader.maxDepth else { throw fail("nesting deeper than \(JSONReader.maxDepth) levels") }
            pos += 1  // {
            var object = JSONObject()
            skipWhitespace()
            if pos < b.count && b[pos] == UInt8(ascii: "}") { pos += 1; return .object(object) }
            while true {
                skipWhitespace()
                guard pos < b.count, b[pos] == UInt8(ascii: "\"") else {
                    throw fail(pos < b.count ? "expected a string key, found \(found())" : "unexpected end of input in an object")
                }
                let keyOffset = pos
                let key = try string()
                skipWhitespace()
                guard pos < b.count, b[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after an object key") }
                pos += 1
                skipWhitespace()
                let v = try value(depth: depth)
                guard object.append(key, v) else { throw fail("duplicate key \(JSONReader.describe(key))", at: keyOffset) }
                skipWhitespace()
                guard pos < b.count else { throw fail("unexpected end of input in an object") }
                switch b[pos] {
                case UInt8(ascii: ","): pos += 1
                case UInt8(ascii: "}"): pos += 1; return .object(object)
                default: throw fail("expected ',' or '}' after an object member, found \(found())")
                }
            }
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONReader.maxDepth else { throw fail("nesting deeper than \(JSONReader.maxDepth) levels") }
            pos += 1  // [
            var items: [JSONValue] = []
            skipWhitespace()
            if pos < b.count && b[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth))
                skipWhitespace()
                guard pos < b.count else { throw fail("unexpected end of input in an array") }
                switch b[pos] {
                case UInt8(ascii: ","): pos += 1
                case UInt8(ascii: "]"): pos += 1; return .array(items)
                default: throw fail("expected ',' or ']' after an array element, found \(found())")
                }
            }
        }

        /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, returned as written.
        mutating func number() throws(JSONParseError) -> String {
            let start = pos
            func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= 0x30 && b[i] <= 0x39 }
            if b[pos] == UInt8(ascii: "-") { pos += 1 }
            guard isDigit(pos) else { throw fail("invalid number: expected a digit after '-'") }
            if b[pos] == UInt8(ascii: "0") {
                pos += 1
                if isDigit(pos) { throw fail("invalid number: leading zeros are not allowed", at: start) }
            } else {
                while isDigit(pos) { pos += 1 }
            }
            if pos < b.count && b[pos] == UInt8(ascii: ".") {
                pos += 1
                guard isDigit(pos) else { throw fail("invalid number: expected a digit after '.'") }
                while isDigit(pos) { pos += 1 }
            }
            if pos < b.count && (b[pos] == UInt8(ascii: "e") || b[pos] == UInt8(ascii: "E")) {
                pos += 1
                if pos < b.count && (b[pos] == UInt8(ascii: "+") || b[pos] == UInt8(ascii: "-")) { pos += 1 }
                guard isDigit(pos) else { throw fail("invalid number: expected a digit in the exponent") }
                while isDigit(pos) { pos += 1 }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<pos]), as: UTF8.self)
        }

        /// A string starting at the opening quote; leaves `pos` after the closing quote.
        mutating func string() throws(JSONParseError) -> String {
            let open = pos
            pos += 1
            var runStart = pos      // start of the bytes not yet copied to `scratch`
            var escaped = false     // whether `scratch` is in use
            while true {
                guard pos < b.count else { throw fail("unterminated string", at: open) }
                let c = b[pos]
                if c == UInt8(ascii: "\"") {
                    let text: String
                    if escaped {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<pos]))
                        text = String(decoding: scratch, as: UTF8.self)
                        scratch.removeAll(keepingCapacity: true)
                    } else {
                        text = String(decoding: UnsafeBufferPointer(rebasing: b[runStart..<pos]), as: UTF8.self)
                    }
                    pos += 1
                    return text
                } else if c == UInt8(ascii: "\\") {
                    if !escaped { scratch.removeAll(keepingCapacity: true); escaped = true }
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<pos]))
                    try escape()
                    runStart = pos
                } else if c < 0x20 {
                    let hex = String(c, radix: 16, uppercase: true)
                    throw fail("raw control character U+" + String(repeating: "0", count: 4 - hex.count) + hex
                               + " in a string (write it as an escape)")
                } else if c < 0x80 {
                    pos += 1
                } else {
                    try utf8Sequence()
                }
            }
        }

        /// Validates one multi-byte UTF-8 sequence at `pos` (RFC 3629: no overlong forms, no
        /// surrogates, nothing above U+10FFFF) and steps over it.
        mutating func utf8Sequence() throws(JSONParseError) {
            let c = b[pos]
            let count: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
            switch c {
            case 0xC2...0xDF: count = 2
            case 0xE0: count = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 3
            case 0xED: count = 3; high = 0x9F
            case 0xF0: count = 4; low = 0x90
            case 0xF1...0xF3: count = 4
            case 0xF4: count = 4; high = 0x8F
            default: throw fail("invalid UTF-8 in a string")
            }
            guard pos + count <= b.count else { throw fail("invalid UTF-8 in a string (truncated sequence)") }
            guard b[pos + 1] >= low && b[pos + 1] <= high else { throw fail("invalid UTF-8 in a string") }
            for i in 2..<count where b[pos + i] & 0xC0 != 0x80 { throw fail("invalid UTF-8 in a string") }
            pos += count
        }

        /// One escape at `pos` (the backslash), appended to `scratch` as UTF-8.
        mutating func escape() throws(JSONParseError) {
            let start = pos
            guard pos + 1 < b.count else { throw fail("unterminated string") }
            let e = b[pos + 1]
            pos += 2
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: start)
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard pos + 1 < b.count, b[pos] == UInt8(ascii: "\\"), b[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("lone surrogate \\u\(JSONReader.hex4Text(scalar)) (a high surrogate must be followed by a low one)", at: start)
                    }
                    let second = pos
                    pos += 2
                    let low = try hex4(at: second)
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw fail("lone surrogate \\u\(JSONReader.hex4Text(scalar)) (followed by \\u\(JSONReader.hex4Text(low)), not a low surrogate)", at: start)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw fail("lone surrogate \\u\(JSONReader.hex4Text(scalar)) (a low surrogate without a high one)", at: start)
                }
                let s = Unicode.Scalar(scalar)!  // not a surrogate, at most 0x10FFFF
                scratch.append(contentsOf: UTF8.encode(s)!)
            default:
                pos = start + 1
                let what = found()
                throw fail(what.hasPrefix("'") ? "invalid escape '\\\(what.dropFirst().dropLast())' in a string"
                                              : "invalid escape in a string: '\\' followed by \(what)", at: start)
            }
        }

        /// Four hex digits at `pos` (after "\u"); `escapeStart` is the backslash, for messages.
        mutating func hex4(at escapeStart: Int) throws(JSONParseError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard pos < b.count else { throw fail("invalid \\u escape: needs 4 hex digits", at: escapeStart) }
                let c = b[pos]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail("invalid \\u escape: needs 4 hex digits", at: escapeStart)
                }
                v = v << 4 | d
                pos += 1
            }
            return v
        }
    }

    static func hex4Text(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// A key for an error message: quoted, control characters escaped, long keys shortened.
    static func describe(_ key: String) -> String {
        var out = "\""
        var n = 0
        for u in key.unicodeScalars {
            if n == 40 { out += "…"; break }
            n += 1
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.properties.generalCategory == .format:
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
