import DebtModel

/// An iCalendar (RFC 5545) file of upcoming due dates, as text: what `vault remind --ics` writes.
public struct CalendarExport: Sendable {
    /// The whole file: CRLF line endings, lines folded at 75 octets.
    public let text: String
    /// Number of VEVENT components (a monthly series counts once).
    public let eventCount: Int
    /// Number of due dates the events cover (each occurrence of a series counts).
    public let dueDateCount: Int
}

/// Builds the iCalendar export of the next months' due dates. Pure: the caller writes the file.
///
/// - One all-day event per due date that is not yet paid, from today for `months` months, on the
///   weekend-shifted date. Consecutive monthly due dates of one debt on its due day become one event
///   with `RRULE:FREQ=MONTHLY;COUNT=n`: `BYMONTHDAY=-1` when the debt's due day is 31 (the lender
///   means the last day of the month), `BYMONTHDAY=28,29,30;BYSETPOS=-1` for a due day of 30 (and
///   `28,29` for 29) so that short months fall on their last day exactly as the schedule does.
/// - Redacted by default: the title is "Debt A payment due" (a letter per open debt, in vault
///   order) and nothing else names the lender, the id or an amount. With `detail`, the title names
///   the lender, the id and the amount; a series then only joins dates with equal amounts.
public enum ICalendar {
    /// The product identifier written in PRODID.
    public static let productID = "-//debt-vault//vault remind//EN"

    /// The export for debt states computed as of `today`.
    public static func export(states: [DebtState], today: CivilDate, months: Int = 12, detail: Bool = false) -> CalendarExport {
        let end = CivilDate.monthly(from: today, day: today.day, offset: months) ?? today
        let last = end.adding(days: -1) ?? end
        var events: [String] = []
        var dates = 0
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(detail ? "Debt payments" : "Debt payments (redacted)"),
        ]
        let stamp = basic(today) + "T000000Z"
        let open = states.filter { $0.debt.isOpen }
        for (index, s) in open.enumerated() {
            let label = letters(index)
            let entries = ReminderEngine.unpaidEntries(of: s, from: today, through: last)
            for run in runs(entries, dueDay: dueDay(of: s.debt), equalAmounts: detail) {
                let first = run[0]
                let due = first.0.line.effectiveDueDate
                dates += run.count
                var event = ["BEGIN:VEVENT", "UID:\(label)-\(basic(due))@debt-vault", "DTSTAMP:\(stamp)",
                             "DTSTART;VALUE=DATE:\(basic(due))", "DTEND;VALUE=DATE:\(basic(due.adding(days: 1) ?? due))"]
                if run.count > 1, let rule = recurrence(dueDay: dueDay(of: s.debt) ?? due.day, count: run.count) {
                    event.append("RRULE:" + rule)
                }
                if detail {
                    let amount = "\(first.1.groupedString) \(s.currency.code)"
                    event.append("SUMMARY:" + escape("Pay \(s.debt.name) (\(s.debt.id)): \(amount)"))
                    let graceNote = s.debt.graceDays > 0 ? "; a payment within \(s.debt.graceDays) days after the due date still counts as on time" : ""
                    event.append("DESCRIPTION:" + escape("\(s.debt.kind) \(s.debt.id): \(amount) due\(graceNote). Run 'vault remind' for today's view."))
                } else {
                    event.append("SUMMARY:" + escape("Debt \(label) payment due"))
                    event.append("DESCRIPTION:" + escape("Run 'vault remind' for the details."))
                }
                event += ["TRANSP:TRANSPARENT", "CLASS:PRIVATE", "END:VEVENT"]
                events.append(event.joined(separator: "\n"))
                lines += event
            }
        }
        lines.append("END:VCALENDAR")
        let text = lines.map(fold).joined(separator: "\r\n") + "\r\n"
        return CalendarExport(text: text, eventCount: events.count, dueDateCount: dates)
    }

    /// The export for every open debt of `document` as of `today`.
    public static func export(of document: VaultDocument, today: CivilDate, months: Int = 12, detail: Bool = false) -> CalendarExport {
        export(states: DebtCalculator.states(of: document, asOf: today, includeClosed: false), today: today, months: months, detail: detail)
    }

    /// The day of the month a debt's due dates recur on, if they recur monthly.
    static func dueDay(of debt: Debt) -> Int? {
        switch debt.terms {
        case let .loan(t): return t.dueDay
        case let .installment(t): return t.dueDay
        case let .card(t): return t.dueDay
        case .informal: return nil
        }
    }

    /// Splits a debt's upcoming entries into runs of consecutive monthly due dates on `dueDay`
    /// (never moved by the weekend shift; with `equalAmounts`, of equal amounts).
    static func runs(_ entries: [(ScheduleEntry, Money)], dueDay: Int?, equalAmounts: Bool) -> [[(ScheduleEntry, Money)]] {
        var out: [[(ScheduleEntry, Money)]] = []
        for item in entries {
            let line = item.0.line
            if let dueDay, var run = out.last, let start = run.first,
               start.0.line.dueDate == start.0.line.effectiveDueDate, line.dueDate == line.effectiveDueDate,
               line.number == run.last!.0.line.number + 1,
               CivilDate.monthly(from: start.0.line.dueDate, day: dueDay, offset: run.count) == line.dueDate,
               !equalAmounts || item.1 == start.1 {
                run.append(item)
                out[out.count - 1] = run
            } else {
                out.append([item])
            }
        }
        return out
    }

    /// The RRULE value of `count` monthly due dates on `dueDay` clamped to the month's end.
    static func recurrence(dueDay: Int, count: Int) -> String? {
        guard count > 1, (1...31).contains(dueDay) else { return nil }
        let byDay: String
        switch dueDay {
        case 31: byDay = "BYMONTHDAY=-1"
        case 30: byDay = "BYMONTHDAY=28,29,30;BYSETPOS=-1"
        case 29: byDay = "BYMONTHDAY=28,29;BYSETPOS=-1"
        default: byDay = "BYMONTHDAY=\(dueDay)"
        }
        return "FREQ=MONTHLY;COUNT=\(count);\(byDay)"
    }

    /// "Debt A", "Debt B", ..., "Debt Z", "Debt AA", ...: bijective base 26.
    static func letters(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            n -= 1
            out = String(UnicodeScalar(UInt8(65 + n % 26))) + out
            n /= 26
        }
        return out
    }

    /// YYYYMMDD.
    static func basic(_ date: CivilDate) -> String { String(date.description.filter { $0 != "-" }) }

    /// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines; drops other controls.
    static func escape(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case _ where u.value < 0x20 || u.value == 0x7F: continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(scalar)
            count += size
        }
        return out
    }
}
