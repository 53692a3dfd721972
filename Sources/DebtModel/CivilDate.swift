/// A calendar date without time or time zone (proleptic Gregorian), years 1 to 9999.
///
/// Due dates are civil dates in the user's local time; "today" is supplied by the caller.
/// Stored in four bytes.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    @usableFromInline let y: Int16
    @usableFromInline let m: UInt8
    @usableFromInline let d: UInt8

    /// The year (1...9999).
    @inlinable public var year: Int { Int(y) }
    /// The month (1...12).
    @inlinable public var month: Int { Int(m) }
    /// The day of the month (1...31).
    @inlinable public var day: Int { Int(d) }

    /// Creates a date; `nil` unless it is a real day between 0001-01-01 and 9999-12-31.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        y = Int16(year); m = UInt8(month); d = UInt8(day)
    }

    /// Creates the date in `year`/`month` on `day`, clamped to the month's last day
    /// (31 -> 28/29 in February, 30 in April). `nil` if the year or month is out of range or day < 1.
    public init?(year: Int, month: Int, clampingDay day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        self.init(year: year, month: month, day: min(day, CivilDate.daysInMonth(year: year, month: month)))
    }

    /// True for Gregorian leap years (divisible by 4, except centuries not divisible by 400).
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in a month (28-31); 0 for an invalid month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Days in this date's month.
    public var daysInMonth: Int { CivilDate.daysInMonth(year: year, month: month) }
    /// True when this is the last day of its month.
    public var isLastDayOfMonth: Bool { day == daysInMonth }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's days_from_civil.
    public var dayNumber: Int {
        let yy = month <= 2 ? year - 1 : year
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01; `nil` outside years 1...9999.
    public init?(dayNumber: Int) {
        guard dayNumber >= -719162, dayNumber <= 2932896 else { return nil }
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// The date `days` later (earlier when negative); `nil` outside years 1...9999.
    public func adding(days: Int) -> CivilDate? { CivilDate(dayNumber: dayNumber + days) }

    /// The same day `months` later (earlier when negative), clamped to the month end
    /// (2026-01-31 + 1 month = 2026-02-28); `nil` outside years 1...9999.
    public func adding(months: Int) -> CivilDate? { CivilDate.monthly(from: self, day: day, offset: months) }

    /// The date `offset` months after `start`'s month, on `day` clamped to that month's end.
    /// Used for recurring due dates so that a due day of 31 gives Jan 31, Feb 28, Mar 31 (never drifting).
    public static func monthly(from start: CivilDate, day: Int, offset: Int) -> CivilDate? {
        let index = start.year * 12 + (start.month - 1) + offset
        guard index >= 12 else { return nil }
        return CivilDate(year: index / 12, month: index % 12 + 1, clampingDay: day)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// The ISO weekday.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let w = ((dayNumber % 7) + 7 + 3) % 7 // 0 = Monday
        return Weekday(rawValue: w + 1)!
    }

    /// "YYYY-MM-DD".
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            var s = String(v)
            while s.count < width { s = "0" + s }
            return s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.y, lhs.m, lhs.d) < (rhs.y, rhs.m, rhs.d)
    }

    /// Parses exactly "YYYY-MM-DD" (ten ASCII characters, zero-padded, a real date).
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String) throws(FieldError) -> CivilDate {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10) else {
            throw FieldError(field: field, value: text, reason: "is not a date in the form YYYY-MM-DD")
        }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            throw FieldError(field: field, value: text, reason: "is not a real calendar date")
        }
        return date
    }
}

/// ISO weekdays, Monday = 1 ... Sunday = 7.
public enum Weekday: Int, Sendable, CaseIterable {
    /// Monday.
    case monday = 1
    /// Tuesday.
    case tuesday
    /// Wednesday.
    case wednesday
    /// Thursday.
    case thursday
    /// Friday.
    case friday
    /// Saturday.
    case saturday
    /// Sunday.
    case sunday

    /// True on Saturday and Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }
}
