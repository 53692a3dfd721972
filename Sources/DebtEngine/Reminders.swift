import DebtModel

/// The groups of `vault remind`, most urgent first.
public enum ReminderGroup: Int, Sendable, CaseIterable, Comparable {
    /// Unpaid after the grace period.
    case overdue = 0
    /// The due date passed, but a payment within the grace days still counts as on time.
    case inGrace = 1
    /// Due today.
    case dueToday = 2
    /// Due on one of the debt's lead days (or, in a window view, any day of the window).
    case dueSoon = 3

    /// Stable machine value for `--json`: "overdue", "in_grace", "due_today", "due_soon".
    public var code: String {
        switch self {
        case .overdue: return "overdue"
        case .inGrace: return "in_grace"
        case .dueToday: return "due_today"
        case .dueSoon: return "due_soon"
        }
    }

    /// Heading in the text output: "OVERDUE", "IN GRACE", "DUE TODAY", "DUE SOON".
    public var title: String {
        switch self {
        case .overdue: return "OVERDUE"
        case .inGrace: return "IN GRACE"
        case .dueToday: return "DUE TODAY"
        case .dueSoon: return "DUE SOON"
        }
    }

    /// Orders by urgency.
    public static func < (lhs: ReminderGroup, rhs: ReminderGroup) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a reminder would normally not be shown (it is shown only when silenced ones are asked for).
public enum ReminderSilence: Hashable, Sendable {
    /// The user snoozed the debt until this date (reminders resume on it).
    case snoozed(until: CivilDate)
    /// The debt has been overdue for longer than its ``Debt/overdueReminderCapDays``.
    case pastOverdueCap(days: Int)

    /// Stable machine value for `--json`: "snoozed" or "past_overdue_cap".
    public var code: String {
        switch self {
        case .snoozed: return "snoozed"
        case .pastOverdueCap: return "past_overdue_cap"
        }
    }
}

/// One line of `vault remind`: a debt that needs attention today, and why.
public struct Reminder: Sendable {
    /// The debt and everything derived for it.
    public let state: DebtState
    /// Which group the line belongs to.
    public let group: ReminderGroup
    /// The (weekend-shifted) due date the line is about; for overdue debts, the oldest unpaid one.
    public let dueDate: CivilDate
    /// What is still to pay (after payments): everything past due for overdue and in-grace debts,
    /// otherwise the amount due on ``dueDate``.
    public let amountDue: Money
    /// Days from today to the due date: 3 three days before, 0 on the day, negative once it has passed.
    public let daysUntilDue: Int
    /// Days overdue (counted from the due date), 0 unless ``group`` is ``ReminderGroup/overdue``.
    public let daysOverdue: Int
    /// The last day a payment still counts as on time: the due date plus the grace days.
    public let payBy: CivilDate
    /// The first day the lender may report the debt to the credit bureau (征信): the day after ``payBy``.
    public let reportableFrom: CivilDate
    /// Estimated penalty interest accrued so far (overdue only; see ``DebtState/penaltyInterest``).
    public let penaltyInterest: Money
    /// Estimated late penalty (违约金) (overdue only; see ``DebtState/latePenalty``).
    public let latePenalty: Money
    /// Set when the line is shown although it is silenced (``ReminderOptions/includeSilenced``).
    public let silence: ReminderSilence?

    /// The debt.
    public var debt: Debt { state.debt }
    /// Days until the debt may be reported to the credit bureau (0 once it may already be).
    public var daysUntilReportable: Int { max(0, state.asOf.days(until: reportableFrom)) }
}

/// What `vault remind` asks for.
public struct ReminderOptions: Sendable, Hashable {
    /// `nil`: remind on the debts' lead days only. A number N: list everything due from today
    /// through today + N days, ignoring lead days (a week or month view).
    public var windowDays: Int?
    /// Also show snoozed debts and overdue debts past their reminder cap (`--all`).
    public var includeSilenced: Bool
    /// How many days ahead the summary's second total looks (7).
    public var summaryDays: Int

    /// Lead-day reminders, silenced debts left out, a 7-day summary.
    public init(windowDays: Int? = nil, includeSilenced: Bool = false, summaryDays: Int = 7) {
        self.windowDays = windowDays
        self.includeSilenced = includeSilenced
        self.summaryDays = summaryDays
    }
}

/// The result of ``ReminderEngine/reminders(for:today:options:)``: the lines, most urgent first,
/// and the totals of the summary line.
public struct ReminderReport: Sendable {
    /// Totals of one currency.
    public struct Total: Sendable, Hashable {
        /// The currency.
        public let currency: Currency
        /// Everything to pay today: past due (overdue and in grace) plus what falls due today.
        public let today: Money
        /// ``today`` plus what falls due in the following ``ReminderOptions/summaryDays`` days.
        public let upcoming: Money
    }

    /// The day the report is for.
    public let date: CivilDate
    /// The options it was made with.
    public let options: ReminderOptions
    /// The lines, grouped and most urgent first.
    public let reminders: [Reminder]
    /// Totals per currency (currency-code order), over the debts that are not silenced (all debts
    /// with ``ReminderOptions/includeSilenced``), whether or not today is one of their lead days.
    public let totals: [Total]
    /// The last day the ``Total/upcoming`` totals cover.
    public let upcomingThrough: CivilDate
    /// Debts with something to say that were left out because they are snoozed.
    public let snoozedCount: Int
    /// Overdue debts left out because they passed their reminder cap.
    public let pastCapCount: Int

    /// True when at least one line needs attention (`--quiet` exits 10).
    public var needsAttention: Bool { !reminders.isEmpty }
}

/// Decides which debts need a reminder on a given day. Pure and deterministic: it reads the
/// states computed by ``DebtCalculator`` and never recomputes balances.
///
/// Rules (docs/reminders.md):
/// - a debt due in the future produces a line only on its lead days (default 3, 1 and 0 days before
///   the weekend-shifted due date); in a window view, on every day of the window;
/// - a debt whose due date passed produces one line while in grace, and one line a day while overdue,
///   until it has been overdue for more than its reminder cap (default 30 days);
/// - a debt whose amount due is covered by payments (within the tolerance) is silent;
/// - a snoozed debt is silent until the snooze date;
/// - closed and paid-off debts are silent.
public enum ReminderEngine {
    /// The report for every debt of `document` as of `today`.
    public static func reminders(of document: VaultDocument, today: CivilDate, options: ReminderOptions = .init()) -> ReminderReport {
        reminders(for: DebtCalculator.states(of: document, asOf: today, includeClosed: false), today: today, options: options)
    }

    /// The report for states computed as of `today`.
    public static func reminders(for states: [DebtState], today: CivilDate, options: ReminderOptions = .init()) -> ReminderReport {
        var shown: [Reminder] = []
        var snoozed = 0, capped = 0
        var dueNow: [String: (Currency, Int64)] = [:]
        var upcoming: [String: (Currency, Int64)] = [:]
        let through = today.adding(days: max(0, options.summaryDays)) ?? today
        for s in states where s.debt.isOpen {
            let candidates = lines(for: s, today: today, windowDays: options.windowDays)
            let silence = silence(of: s, today: today)
            if let silence, !options.includeSilenced {
                if !candidates.isEmpty {
                    switch silence {
                    case .snoozed: snoozed += 1
                    case .pastOverdueCap: capped += 1
                    }
                }
                continue
            }
            shown += candidates.map { $0.with(silence: silence) }
            let (now, later) = amounts(of: s, today: today, through: through)
            if now > 0 || later > 0 {
                let code = s.currency.code
                dueNow[code] = (s.currency, saturatingAdd(dueNow[code]?.1 ?? 0, now))
                upcoming[code] = (s.currency, saturatingAdd(upcoming[code]?.1 ?? 0, saturatingAdd(now, later)))
            }
        }
        shown.sort(by: isMoreUrgent)
        let totals = upcoming.keys.sorted().map { code in
            ReminderReport.Total(currency: upcoming[code]!.0,
                                 today: Money(clamping: dueNow[code]?.1 ?? 0, currency: upcoming[code]!.0),
                                 upcoming: Money(clamping: upcoming[code]!.1, currency: upcoming[code]!.0))
        }
        return ReminderReport(date: today, options: options, reminders: shown, totals: totals, upcomingThrough: through,
                              snoozedCount: snoozed, pastCapCount: capped)
    }

    /// Why `state`'s reminders are silenced today, if they are: a snooze wins over the overdue cap.
    public static func silence(of state: DebtState, today: CivilDate) -> ReminderSilence? {
        if let until = state.debt.snoozedUntil, until > today { return .snoozed(until: until) }
        if case let .overdue(days) = state.status, days > state.debt.overdueReminderCapDays { return .pastOverdueCap(days: days) }
        return nil
    }

    /// The lines one debt produces today (before silencing): at most one in lead-day mode.
    static func lines(for s: DebtState, today: CivilDate, windowDays: Int?) -> [Reminder] {
        let debt = s.debt
        func make(_ group: ReminderGroup, due: CivilDate, amount: Money, daysOverdue: Int = 0, penalties: Bool = false) -> Reminder {
            let payBy = due.adding(days: debt.graceDays) ?? due
            return Reminder(state: s, group: group, dueDate: due, amountDue: amount, daysUntilDue: today.days(until: due),
                            daysOverdue: daysOverdue, payBy: payBy, reportableFrom: payBy.adding(days: 1) ?? payBy,
                            penaltyInterest: penalties ? s.penaltyInterest : .zero(s.currency),
                            latePenalty: penalties ? s.latePenalty : .zero(s.currency), silence: nil)
        }
        var out: [Reminder] = []
        let pastDue = Money(clamping: saturatingAdd(s.overdueAmount.minorUnits, s.inGraceAmount.minorUnits), currency: s.currency)
        switch s.status {
        case let .overdue(days):
            out.append(make(.overdue, due: s.nextDue?.date ?? today.adding(days: -days) ?? today, amount: pastDue,
                            daysOverdue: days, penalties: true))
        case let .inGrace(daysLate, _):
            out.append(make(.inGrace, due: s.nextDue?.date ?? today.adding(days: -daysLate) ?? today, amount: pastDue))
        case .dueToday, .dueSoon, .ok, .paidOff, .closed:
            break
        }
        if let window = windowDays {
            // Everything still unpaid that falls due from today through today + window.
            let end = today.adding(days: max(0, window)) ?? today
            for (entry, amount) in unpaidEntries(of: s, from: today, through: end) {
                let due = entry.line.effectiveDueDate
                out.append(make(due == today ? .dueToday : .dueSoon, due: due, amount: amount))
            }
        } else if let next = s.nextDue, out.isEmpty {
            let days = today.days(until: next.date)
            if days >= 0, debt.leadDays.contains(days) {
                out.append(make(days == 0 ? .dueToday : .dueSoon, due: next.date, amount: next.amount))
            }
        }
        return out
    }

    /// Unsettled schedule lines due from `start` through `end`, with what is still to pay on each
    /// (for the first unsettled line, including any remainder of earlier lines).
    static func unpaidEntries(of s: DebtState, from start: CivilDate, through end: CivilDate) -> [(ScheduleEntry, Money)] {
        var out: [(ScheduleEntry, Money)] = []
        for entry in s.schedule where !entry.isSettled {
            let due = entry.line.effectiveDueDate
            guard due >= start else { continue }
            guard due <= end else { break }
            let amount = entry.line.number == s.nextDue?.number ? s.nextDue!.amount : entry.unpaid
            if amount.isPositive { out.append((entry, amount)) }
        }
        return out
    }

    /// What one debt asks for today (past due plus due today) and in the days after, through `through`.
    static func amounts(of s: DebtState, today: CivilDate, through: CivilDate) -> (today: Int64, later: Int64) {
        var now = saturatingAdd(s.overdueAmount.minorUnits, s.inGraceAmount.minorUnits)
        var later: Int64 = 0
        for (entry, amount) in unpaidEntries(of: s, from: today, through: through) {
            if entry.line.effectiveDueDate == today { now = saturatingAdd(now, amount.minorUnits) } else { later = saturatingAdd(later, amount.minorUnits) }
        }
        return (now, later)
    }

    /// Most urgent first: by group; overdue by days overdue (most first); the others by due date;
    /// then by amount (largest first) and id.
    static func isMoreUrgent(_ a: Reminder, _ b: Reminder) -> Bool {
        if a.group != b.group { return a.group < b.group }
        if a.daysOverdue != b.daysOverdue { return a.daysOverdue > b.daysOverdue }
        if a.dueDate != b.dueDate { return a.dueDate < b.dueDate }
        if a.amountDue.currency == b.amountDue.currency, a.amountDue.minorUnits != b.amountDue.minorUnits {
            return a.amountDue.minorUnits > b.amountDue.minorUnits
        }
        return a.debt.id < b.debt.id
    }
}

extension Reminder {
    func with(silence: ReminderSilence?) -> Reminder {
        Reminder(state: state, group: group, dueDate: dueDate, amountDue: amountDue, daysUntilDue: daysUntilDue,
                 daysOverdue: daysOverdue, payBy: payBy, reportableFrom: reportableFrom, penaltyInterest: penaltyInterest,
                 latePenalty: latePenalty, silence: silence)
    }
}
