/// An exact amount of money: a signed count of minor units (fen, cents) of a ``Currency``.
///
/// Money is never a binary floating-point number. Amounts are limited to
/// ±``Money/maximumMinorUnits`` so that sums of millions of payments cannot overflow `Int64`.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units (1 = 0.01 CNY, 1 = 1 JPY).
    public let minorUnits: Int64
    /// The currency of the amount.
    public let currency: Currency

    /// The largest magnitude a single amount may have: 10^13 minor units (100 billion CNY).
    public static let maximumMinorUnits: Int64 = 10_000_000_000_000

    /// Creates an amount; `nil` when `minorUnits` exceeds ±``maximumMinorUnits``.
    public init?(minorUnits: Int64, currency: Currency) {
        guard minorUnits >= -Money.maximumMinorUnits, minorUnits <= Money.maximumMinorUnits else { return nil }
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Creates an amount without the range check (used where the range is already established).
    @inlinable init(unchecked minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Creates an amount, clamping `minorUnits` into ±``maximumMinorUnits`` (for derived figures such as
    /// penalty estimates that must always be representable).
    public init(clamping minorUnits: Int64, currency: Currency) {
        self.minorUnits = min(max(minorUnits, -Money.maximumMinorUnits), Money.maximumMinorUnits)
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(unchecked: 0, currency: currency) }

    /// Whole major units, e.g. `Money.major(10, .cny)` is 10.00 CNY; `nil` out of range.
    public static func major(_ units: Int64, _ currency: Currency) -> Money? {
        let (value, overflow) = units.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        return overflow ? nil : Money(minorUnits: value, currency: currency)
    }

    /// True when the amount is zero.
    public var isZero: Bool { minorUnits == 0 }
    /// True when the amount is greater than zero.
    public var isPositive: Bool { minorUnits > 0 }
    /// True when the amount is less than zero.
    public var isNegative: Bool { minorUnits < 0 }

    /// The sum; throws on a currency mismatch or when the result leaves the allowed range.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow, let result = Money(minorUnits: sum, currency: currency) else { throw .overflow }
        return result
    }

    /// The difference; throws on a currency mismatch or when the result leaves the allowed range.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        let (diff, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow, let result = Money(minorUnits: diff, currency: currency) else { throw .overflow }
        return result
    }

    /// The amount times an integer; throws when the result leaves the allowed range.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow, let result = Money(minorUnits: product, currency: currency) else { throw .overflow }
        return result
    }

    /// The amount with its sign flipped.
    public var negated: Money { Money(unchecked: -minorUnits, currency: currency) }

    /// Plain decimal string without grouping or currency, e.g. "8884.88", "-0.50", "1200" (JPY).
    /// This is the form used in `--json` output and accepted back by ``Money/parse(_:currency:field:)``
    /// (for non-negative values).
    public var decimalString: String { format(grouped: false) }

    /// Decimal string with thousands separators for display, e.g. "8,884.88".
    public var groupedString: String { format(grouped: true) }

    /// "8884.88 CNY".
    public var description: String { "\(decimalString) \(currency.code)" }

    private func format(grouped: Bool) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        let scale = UInt64(currency.minorUnitsPerMajor)
        let whole = magnitude / scale
        let fraction = magnitude % scale
        var wholeDigits = String(whole)
        if grouped && wholeDigits.count > 3 {
            var out: [Character] = []
            for (i, ch) in wholeDigits.enumerated() {
                if i > 0 && (wholeDigits.count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            wholeDigits = String(out)
        }
        var result = negative ? "-" + wholeDigits : wholeDigits
        if currency.minorUnits > 0 {
            var fractionDigits = String(fraction)
            while fractionDigits.count < currency.minorUnits { fractionDigits = "0" + fractionDigits }
            result += "." + fractionDigits
        }
        return result
    }

    /// Parses a non-negative amount strictly.
    ///
    /// Accepted: one or more ASCII digits, optionally followed by '.' and one to
    /// `currency.minorUnits` digits ("12", "12.3", "12.34", "0.50"; "1200" for JPY).
    /// Rejected (as ``FieldError`` naming `field`): empty input, signs ("-1", "+1"), whitespace
    /// (" 1"), a leading or trailing point (".5", "5."), grouping ("1,5", "1,000"), exponents
    /// ("1e3"), trailing garbage ("12.34abc"), more decimals than the currency has ("1.234"
    /// for CNY, "1.5" for JPY), and values above ``maximumMinorUnits``. Zero is accepted; callers
    /// that need a positive amount check ``isPositive``.
    public static func parse(_ text: String, currency: Currency, field: String) throws(FieldError) -> Money {
        func fail(_ reason: String) -> FieldError { FieldError(field: field, value: text, reason: reason) }
        let decimals = currency.minorUnits
        let form = decimals == 0 ? "digits only" : "digits with an optional '.' and up to \(decimals) decimal\(decimals == 1 ? "" : "s")"
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var wholeDigits = 0
        var seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, wholeDigits > 0, decimals > 0 else {
                    throw fail("is not a valid amount (\(form), e.g. \(decimals == 0 ? "1200" : "1234.50"))")
                }
                seenPoint = true
                continue
            }
            guard byte >= 0x30 && byte <= 0x39 else {
                throw fail("is not a valid amount (\(form), e.g. \(decimals == 0 ? "1200" : "1234.50"))")
            }
            let digit = Int64(byte - 0x30)
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= decimals else {
                    throw fail("has more than \(decimals) decimal\(decimals == 1 ? "" : "s") for \(currency.code)")
                }
                fraction = fraction * 10 + digit
            } else {
                wholeDigits += 1
                guard wholeDigits <= 18 else { throw fail("is too large") }
                whole = whole * 10 + digit
            }
        }
        guard wholeDigits > 0, !(seenPoint && fractionDigits == 0) else {
            throw fail("is not a valid amount (\(form), e.g. \(decimals == 0 ? "1200" : "1234.50"))")
        }
        for _ in fractionDigits..<decimals { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2, let money = Money(minorUnits: total, currency: currency) else {
            throw fail("is too large (at most \(Money(unchecked: maximumMinorUnits, currency: currency).groupedString))")
        }
        return money
    }
}

extension Money: Comparable {
    /// Orders amounts of the same currency; amounts of different currencies are ordered by code first.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        if lhs.currency != rhs.currency { return lhs.currency.code < rhs.currency.code }
        return lhs.minorUnits < rhs.minorUnits
    }
}

/// Arithmetic on ``Money`` failed.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The two operands have different currencies (codes given).
    case currencyMismatch(String, String)
    /// The result is outside ±``Money/maximumMinorUnits``.
    case overflow

    /// A readable explanation.
    public var description: String {
        switch self {
        case let .currencyMismatch(a, b): return "cannot combine amounts in \(a) and \(b)"
        case .overflow: return "amount out of range"
        }
    }
}

/// Exact integer helpers shared by the model and the engines.
public enum ExactMath {
    /// `a * b / c` rounded half up (away from zero for negative results), computed with a
    /// 128-bit intermediate so it never overflows for `Int64` inputs. `c` must be positive.
    /// Returns `nil` if the quotient does not fit in `Int64`.
    public static func mulDivRoundHalfUp(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64? {
        precondition(c > 0, "divisor must be positive")
        let negative = (a < 0) != (b < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = c.magnitude
        guard product.high < divisor else { return nil }
        let (q, r) = divisor.dividingFullWidth(product)
        // Round half up: r >= divisor - r  <=> 2r >= divisor, without overflow.
        guard q <= UInt64(Int64.max) else { return nil }
        let rounded = r >= divisor - r ? q + 1 : q
        guard rounded <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(rounded) : Int64(rounded)
    }
}
