/// An exact percentage, stored as a count of 10^-8 percentage points
/// (so 18% is 1,800,000,000 and 0.05% is 5,000,000).
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Units of 10^-8 percentage points per percentage point.
    public static let scale: Int64 = 100_000_000
    /// Units per 1.0 (100%): a fraction f equals `scaled / unitsPerOne`.
    public static let unitsPerOne: Int64 = 10_000_000_000
    /// The largest accepted percentage: 100,000%.
    public static let maximumScaled: Int64 = 100_000 * 100_000_000

    /// The value in 10^-8 percentage points.
    public let scaled: Int64

    /// Creates a percentage from 10^-8 percentage point units; `nil` when negative or above 100,000%.
    public init?(scaled: Int64) {
        guard scaled >= 0, scaled <= Percentage.maximumScaled else { return nil }
        self.scaled = scaled
    }

    /// Creates a percentage from a whole number of hundredths of a percent (basis points),
    /// e.g. `Percentage(basisPoints: 1800)` is 18%.
    public init(basisPoints: UInt32) {
        self.scaled = Int64(basisPoints) * 1_000_000
    }

    /// Zero percent.
    public static let zero = Percentage(basisPoints: 0)

    /// The value as a fraction in binary floating point, for reporting (APR/IRR figures) only.
    public var fraction: Double { Double(scaled) / Double(Percentage.unitsPerOne) }

    /// `amount * self` rounded half up to the minor unit; `nil` on overflow.
    public func of(_ amount: Int64) -> Int64? {
        ExactMath.mulDivRoundHalfUp(amount, scaled, Percentage.unitsPerOne)
    }

    /// Shortest exact decimal form followed by '%', e.g. "18%", "0.05%", "8.8%".
    public var description: String {
        let whole = scaled / Percentage.scale
        var fraction = scaled % Percentage.scale
        guard fraction != 0 else { return "\(whole)%" }
        var digits = 8
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        var text = String(fraction)
        while text.count < digits { text = "0" + text }
        return "\(whole).\(text)%"
    }

    /// Orders by value.
    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.scaled < rhs.scaled }

    /// Parses "10%", "0.05%", "12.5%" strictly: digits, optional '.' with 1-8 digits, then '%'.
    /// With `requirePercentSign: false` the '%' may be omitted ("1.5" is 1.5%).
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String, requirePercentSign: Bool = true) throws(FieldError) -> Percentage {
        var body = Substring(text)
        if body.hasSuffix("%") { body = body.dropLast() } else if requirePercentSign {
            throw FieldError(field: field, value: text, reason: "is not a percentage (expected e.g. 18% or 0.05%)")
        }
        guard let value = parseScaled(body) else {
            throw FieldError(field: field, value: text, reason: "is not a valid percentage (digits, optional '.' and up to 8 decimals, then %)")
        }
        guard let result = Percentage(scaled: value) else {
            throw FieldError(field: field, value: text, reason: "is out of range (0% to 100000%)")
        }
        return result
    }

    /// Parses digits with an optional '.' and up to 8 decimals into 10^-8 units.
    static func parseScaled(_ text: Substring) -> Int64? {
        var whole: Int64 = 0, fraction: Int64 = 0
        var wholeDigits = 0, fractionDigits = 0
        var seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, wholeDigits > 0 else { return nil }
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= 8 else { return nil }
                    fraction = fraction * 10 + Int64(byte - 0x30)
                } else {
                    wholeDigits += 1
                    guard wholeDigits <= 9 else { return nil }
                    whole = whole * 10 + Int64(byte - 0x30)
                }
            } else {
                return nil
            }
        }
        guard wholeDigits > 0, !(seenPoint && fractionDigits == 0) else { return nil }
        for _ in fractionDigits..<8 { fraction *= 10 }
        return whole * 100_000_000 + fraction
    }
}

/// The period a quoted rate applies to.
public enum RatePeriod: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Per year (an annual / nominal rate).
    case year = 0
    /// Per month (e.g. an installment fee "0.6%/month").
    case month = 1
    /// Per day (e.g. a card's "0.05%/day").
    case day = 2
    /// Once over the whole term (e.g. a Huabei-style total installment fee "8.8%/total").
    case total = 3

    /// "year", "month", "day" or "total".
    public var description: String {
        switch self {
        case .year: return "year"
        case .month: return "month"
        case .day: return "day"
        case .total: return "total"
        }
    }
}

/// An interest or fee rate exactly as lenders quote it: a ``Percentage`` per ``RatePeriod``.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    /// The quoted percentage.
    public let percentage: Percentage
    /// What the percentage is per.
    public let period: RatePeriod

    /// Creates a rate.
    public init(_ percentage: Percentage, per period: RatePeriod) {
        self.percentage = percentage
        self.period = period
    }

    /// 0% per year.
    public static let zero = Rate(.zero, per: .year)

    /// The canonical text: "18%/year", "0.05%/day", "0.6%/month", "8.8%/total".
    public var description: String { "\(percentage)/\(period)" }

    /// Parses a rate strictly: a ``Percentage`` ("18%"), optionally followed by "/year", "/month",
    /// "/day" or "/total" (lowercase). Without a period the rate is per year ("18%" = "18%/year").
    /// Rejected: missing '%', spaces, signs, other period words, more than 8 decimals.
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String) throws(FieldError) -> Rate {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let period: RatePeriod
        if parts.count == 2 {
            switch parts[1] {
            case "year": period = .year
            case "month": period = .month
            case "day": period = .day
            case "total": period = .total
            default:
                throw FieldError(field: field, value: text, reason: "has an unknown period (use /year, /month, /day or /total)")
            }
        } else {
            period = .year
        }
        let percentText = String(parts[0])
        guard percentText.hasSuffix("%") else {
            throw FieldError(field: field, value: text, reason: "is not a rate (expected e.g. 18%, 18%/year, 0.05%/day, 0.6%/month, 8.8%/total)")
        }
        let percentage: Percentage
        do {
            percentage = try Percentage.parse(percentText, field: field)
        } catch {
            throw FieldError(field: field, value: text, reason: error.reason)
        }
        return Rate(percentage, per: period)
    }

    /// The nominal annual rate (APR) exactly, in 10^-8 percentage points: a daily rate times 365,
    /// a monthly rate times 12. `nil` for ``RatePeriod/total`` (that needs an IRR over the term;
    /// see DebtEngine's `Finance`) or on overflow.
    public var annualScaled: Int64? {
        switch period {
        case .year: return percentage.scaled
        case .month: return percentage.scaled * 12
        case .day: return percentage.scaled * 365
        case .total: return nil
        }
    }

    /// The nominal APR as a ``Percentage`` (exact); `nil` for a total rate.
    public var apr: Percentage? { annualScaled.flatMap(Percentage.init(scaled:)) }

    /// Effective annual rate as a fraction (binary floating point, for reporting only):
    /// (1+d)^365-1 for a daily rate, (1+i)^12-1 for a monthly rate, the rate itself for a yearly one.
    /// `nil` for a total rate.
    public var effectiveAnnualFraction: Double? {
        switch period {
        case .year: return percentage.fraction
        case .month: return pow1p(percentage.fraction, 12) - 1
        case .day: return pow1p(percentage.fraction, 365) - 1
        case .total: return nil
        }
    }

    /// Interest for one month on `balance` minor units: balance x APR / 12, rounded half up.
    /// A total rate yields `nil` (it is not a periodic rate).
    public func monthlyInterest(on balance: Int64) -> Int64? {
        guard let annual = annualScaled else { return nil }
        return ExactMath.mulDivRoundHalfUp(balance, annual, Percentage.unitsPerOne * 12)
    }

    /// The rate per day as a ``Percentage`` in 10^-8 points, *unrounded numerator over 365*:
    /// returns (numerator, denominator) so that the daily fraction is numerator / (denominator x 10^10).
    /// Daily rates are returned as is (denominator 1); others as APR / 365.
    public var dailyRatio: (numerator: Int64, denominator: Int64)? {
        switch period {
        case .day: return (percentage.scaled, 1)
        case .year, .month: return annualScaled.map { ($0, 365) }
        case .total: return nil
        }
    }
}

/// (1 + x)^n by repeated squaring (reporting only).
func pow1p(_ x: Double, _ n: Int) -> Double {
    var result = 1.0, base = 1.0 + x, e = n
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}

/// A positive multiplier with three decimals (e.g. the penalty-rate multiplier 1.5),
/// stored exactly as thousandths.
public struct Multiplier: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value in thousandths (1.5 = 1500).
    public let thousandths: Int32

    /// Creates a multiplier; `nil` outside 0...100 (0...100,000 thousandths).
    public init?(thousandths: Int32) {
        guard thousandths >= 0, thousandths <= 100_000 else { return nil }
        self.thousandths = thousandths
    }

    /// 1.5, the common default for overdue penalty interest (罚息).
    public static let penaltyDefault = Multiplier(thousandths: 1500)!

    /// Shortest exact form, e.g. "1.5", "1.3", "2".
    public var description: String {
        let whole = thousandths / 1000
        var fraction = thousandths % 1000
        guard fraction != 0 else { return "\(whole)" }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        var text = String(fraction)
        while text.count < digits { text = "0" + text }
        return "\(whole).\(text)"
    }

    /// Orders by value.
    public static func < (lhs: Multiplier, rhs: Multiplier) -> Bool { lhs.thousandths < rhs.thousandths }

    /// Parses "1.5", "2", "1.25" strictly (digits, optional '.', up to 3 decimals, at most 100).
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String) throws(FieldError) -> Multiplier {
        guard let scaled = Percentage.parseScaled(Substring(text)), scaled % 100_000 == 0,
              scaled / 100_000 <= 100_000, let m = Multiplier(thousandths: Int32(scaled / 100_000)) else {
            throw FieldError(field: field, value: text, reason: "is not a valid multiplier (e.g. 1.5; up to 3 decimals, at most 100)")
        }
        return m
    }
}
