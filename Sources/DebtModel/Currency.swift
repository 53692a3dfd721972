/// An ISO 4217 currency: a three-letter uppercase code and the number of decimals of its minor unit.
///
/// Only codes in the built-in table (``Currency/known``) are accepted: an unknown code is far more
/// likely a typo ("RMB", "USS") than a real currency, and guessing its decimals would silently
/// scale every amount by a power of ten. The value is stored packed (four bytes), so copying a
/// ``Money`` never allocates.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three ASCII letters packed little-endian: byte 0 is the first letter.
    @usableFromInline let packed: UInt32
    @usableFromInline let digits: UInt8

    /// Number of decimal digits of the minor unit (2 for CNY/USD, 0 for JPY/KRW, 3 for KWD).
    @inlinable public var minorUnits: Int { Int(digits) }

    @inlinable init(packed: UInt32, minorUnits: Int) {
        self.packed = packed
        self.digits = UInt8(minorUnits)
    }

    /// Looks up `code` (exactly three uppercase ASCII letters) in the table of known currencies.
    /// - Throws: ``FieldError`` naming `field` when the code is malformed or unknown.
    public init(code: String, field: String = "currency") throws(FieldError) {
        let bytes = Array(code.utf8)
        guard bytes.count == 3, bytes.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw FieldError(field: field, value: code, reason: "expected a three-letter ISO 4217 code such as CNY or USD")
        }
        let packed = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16
        guard let found = Currency(packed: packed) else {
            throw FieldError(field: field, value: code, reason: "unknown currency code")
        }
        self = found
    }

    /// Looks up a packed code (as stored in the payload); `nil` when the code is not in the table.
    init?(packed: UInt32) {
        guard let digits = Currency.table[packed] else { return nil }
        self.init(packed: packed, minorUnits: digits)
    }

    /// The three-letter code, e.g. "CNY".
    public var code: String {
        let bytes: [UInt8] = [UInt8(packed & 0xFF), UInt8((packed >> 8) & 0xFF), UInt8((packed >> 16) & 0xFF)]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The code, e.g. "CNY".
    public var description: String { code }

    /// 10 raised to ``minorUnits``: the number of minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnits { result *= 10 }
        return result
    }

    /// Chinese yuan renminbi.
    public static let cny = try! Currency(code: "CNY")
    /// US dollar.
    public static let usd = try! Currency(code: "USD")
    /// Euro.
    public static let eur = try! Currency(code: "EUR")
    /// Japanese yen (no minor unit).
    public static let jpy = try! Currency(code: "JPY")

    /// Every known currency code, sorted.
    public static var known: [String] {
        table.keys.map { Currency(packed: $0, minorUnits: 0).code }.sorted()
    }

    private static let table: [UInt32: Int] = {
        let entries: [(String, Int)] = [
            ("CNY", 2), ("USD", 2), ("EUR", 2), ("GBP", 2), ("HKD", 2), ("MOP", 2), ("TWD", 2),
            ("JPY", 0), ("KRW", 0), ("SGD", 2), ("AUD", 2), ("NZD", 2), ("CAD", 2), ("CHF", 2),
            ("SEK", 2), ("NOK", 2), ("DKK", 2), ("PLN", 2), ("CZK", 2), ("HUF", 2), ("RUB", 2),
            ("INR", 2), ("IDR", 2), ("MYR", 2), ("THB", 2), ("PHP", 2), ("VND", 0), ("PKR", 2),
            ("BDT", 2), ("LKR", 2), ("AED", 2), ("SAR", 2), ("QAR", 2), ("ILS", 2), ("TRY", 2),
            ("ZAR", 2), ("NGN", 2), ("EGP", 2), ("KES", 2), ("BRL", 2), ("MXN", 2), ("ARS", 2),
            ("CLP", 0), ("COP", 2), ("PEN", 2), ("ISK", 0), ("UAH", 2), ("KZT", 2), ("MNT", 2),
            ("KWD", 3), ("BHD", 3), ("OMR", 3), ("JOD", 3), ("TND", 3),
        ]
        var table: [UInt32: Int] = [:]
        for (code, digits) in entries {
            let b = Array(code.utf8)
            table[UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16] = digits
        }
        return table
    }()
}

/// A value given for a named field (a CLI flag, a JSON key, a payload field) was rejected.
///
/// The message always names the field, so "--principal: '12.34abc' is not a valid amount ..."
/// can be shown to the user as is.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field (flag or key) the value was given for, e.g. "principal".
    public let field: String
    /// The rejected input, verbatim.
    public let value: String
    /// Why it was rejected, in plain words.
    public let reason: String

    /// Creates an error for `field`.
    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// "field: 'value' reason".
    public var description: String { "\(field): '\(value)' \(reason)" }
}
