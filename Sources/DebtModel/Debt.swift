/// What kind of debt a ``Debt`` is; the kind decides which ``DebtTerms`` it carries.
public enum DebtKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A bank or consumer-finance loan with a fixed schedule.
    case loan = 0
    /// An installment purchase or 分期 offer: principal/n plus a fee each month.
    case installment = 1
    /// A credit card or revolving line (Huabei-like): a statement balance with a minimum payment.
    case card = 2
    /// Money owed to a person or shop.
    case informal = 3

    /// The `--kind` value: "loan", "installment", "card", "informal".
    public var description: String {
        switch self {
        case .loan: return "loan"
        case .installment: return "installment"
        case .card: return "card"
        case .informal: return "informal"
        }
    }

    /// Parses a `--kind` value (exact lowercase name).
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String = "kind") throws(FieldError) -> DebtKind {
        guard let kind = allCases.first(where: { $0.description == text }) else {
            throw FieldError(field: field, value: text, reason: "is not a debt kind (loan, installment, card, informal)")
        }
        return kind
    }
}

/// How a loan is repaid.
public enum RepaymentMethod: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 等额本息: the same payment every month (PMT), interest on the remaining balance.
    case equalInstallment = 0
    /// 等额本金: the same principal every month plus interest on the remaining balance.
    case equalPrincipal = 1
    /// Interest every month, the whole principal (balloon) with the last payment.
    case interestOnly = 2
    /// One repayment of principal plus simple interest at the end of the term.
    case bullet = 3

    /// The `--method` value: "equal-installment", "equal-principal", "interest-only", "bullet".
    public var description: String {
        switch self {
        case .equalInstallment: return "equal-installment"
        case .equalPrincipal: return "equal-principal"
        case .interestOnly: return "interest-only"
        case .bullet: return "bullet"
        }
    }

    /// Parses a `--method` value.
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String = "method") throws(FieldError) -> RepaymentMethod {
        guard let method = allCases.first(where: { $0.description == text }) else {
            throw FieldError(field: field, value: text, reason: "is not a repayment method (equal-installment, equal-principal, interest-only, bullet)")
        }
        return method
    }
}

/// Terms of a ``DebtKind/loan``.
public struct LoanTerms: Hashable, Sendable {
    /// The amount borrowed.
    public var principal: Money
    /// The contract interest rate (any period except ``RatePeriod/total``); monthly interest is
    /// balance x APR / 12.
    public var rate: Rate
    /// Term in months (1...600).
    public var months: Int
    /// The first due date.
    public var firstDueDate: CivilDate
    /// Day of the month payments fall due (1...31, clamped to shorter months); normally
    /// `firstDueDate.day`, but 31 when the lender means "the last day" and the first due date is
    /// in a short month.
    public var dueDay: Int
    /// How the loan is repaid.
    public var method: RepaymentMethod

    /// Creates loan terms; `dueDay` defaults to the first due date's day.
    public init(principal: Money, rate: Rate, months: Int, firstDueDate: CivilDate, dueDay: Int? = nil, method: RepaymentMethod) {
        self.principal = principal
        self.rate = rate
        self.months = months
        self.firstDueDate = firstDueDate
        self.dueDay = dueDay ?? firstDueDate.day
        self.method = method
    }
}

/// Terms of a ``DebtKind/installment`` purchase (分期).
public struct InstallmentTerms: Hashable, Sendable {
    /// The amount financed.
    public var principal: Money
    /// Number of monthly installments (1...600).
    public var months: Int
    /// The fee: per month on the original principal ("0.6%/month"), or for the whole term
    /// ("8.8%/total"); a yearly or daily rate is converted to a monthly fee as APR / 12.
    public var fee: Rate
    /// The first due date.
    public var firstDueDate: CivilDate
    /// Day of the month installments fall due (1...31, clamped to shorter months).
    public var dueDay: Int

    /// Creates installment terms; `dueDay` defaults to the first due date's day.
    public init(principal: Money, months: Int, fee: Rate, firstDueDate: CivilDate, dueDay: Int? = nil) {
        self.principal = principal
        self.months = months
        self.fee = fee
        self.firstDueDate = firstDueDate
        self.dueDay = dueDay ?? firstDueDate.day
    }
}

/// How a card's minimum payment (最低还款额) is computed from the statement balance.
public enum MinimumPaymentRule: Hashable, Sendable, CustomStringConvertible {
    /// A percentage of the statement balance, at least `floor` when given (capped at the balance).
    case percent(Percentage, floor: Money?)
    /// A fixed amount (capped at the balance).
    case fixed(Money)

    /// The default: 10% of the statement balance, no floor.
    public static let `default` = MinimumPaymentRule.percent(Percentage(basisPoints: 1000), floor: nil)

    /// "10%", "10% (at least 100.00)", or "90.00".
    public var description: String {
        switch self {
        case let .percent(p, floor?): return "\(p) (at least \(floor.decimalString))"
        case let .percent(p, nil): return "\(p)"
        case let .fixed(m): return m.decimalString
        }
    }

    /// The minimum due on `balance` minor units, rounded half up and capped at the balance.
    public func minimum(on balance: Int64) -> Int64 {
        guard balance > 0 else { return 0 }
        let raw: Int64
        switch self {
        case let .percent(p, floor):
            raw = max(p.of(balance) ?? balance, floor?.minorUnits ?? 0)
        case let .fixed(m):
            raw = m.minorUnits
        }
        return min(raw, balance)
    }

    /// Parses a `--min-payment` value: "10%" (percent of the statement balance) or an amount ("90").
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, currency: Currency, floor: Money? = nil, field: String = "min-payment") throws(FieldError) -> MinimumPaymentRule {
        if text.hasSuffix("%") {
            return .percent(try Percentage.parse(text, field: field), floor: floor)
        }
        return .fixed(try Money.parse(text, currency: currency, field: field))
    }
}

/// Terms of a ``DebtKind/card`` or revolving line.
public struct CardTerms: Hashable, Sendable {
    /// The credit limit, if known.
    public var creditLimit: Money?
    /// Statement day (账单日), 1...31, clamped to shorter months.
    public var statementDay: Int
    /// Due day (还款日), 1...31, clamped to shorter months; in the month after the statement when it
    /// is not after the statement day.
    public var dueDay: Int
    /// The balance of the current statement.
    public var statementBalance: Money
    /// The date of the current statement (the balance above is due on the first due day after it).
    public var statementDate: CivilDate
    /// The minimum payment rule.
    public var minimumPayment: MinimumPaymentRule

    /// Creates card terms.
    public init(creditLimit: Money? = nil, statementDay: Int, dueDay: Int, statementBalance: Money, statementDate: CivilDate, minimumPayment: MinimumPaymentRule = .default) {
        self.creditLimit = creditLimit
        self.statementDay = statementDay
        self.dueDay = dueDay
        self.statementBalance = statementBalance
        self.statementDate = statementDate
        self.minimumPayment = minimumPayment
    }

    /// The most recent statement date on or before `date` for a statement day (clamped to month end).
    /// Returns `date` itself when `statementDay` is not 1...31.
    public static func latestStatementDate(onOrBefore date: CivilDate, statementDay: Int) -> CivilDate {
        guard let thisMonth = CivilDate(year: date.year, month: date.month, clampingDay: statementDay) else { return date }
        if thisMonth <= date { return thisMonth }
        return CivilDate.monthly(from: date, day: statementDay, offset: -1) ?? thisMonth
    }

    /// The due date of the statement issued on `statementDate`: the due day in the same month when it
    /// comes after the statement date, otherwise in the next month (clamped to month end);
    /// `nil` for an invalid due day or past year 9999.
    public func dueDate(forStatementOn statementDate: CivilDate) -> CivilDate? {
        guard let sameMonth = CivilDate(year: statementDate.year, month: statementDate.month, clampingDay: dueDay) else { return nil }
        if sameMonth > statementDate { return sameMonth }
        return CivilDate.monthly(from: statementDate, day: dueDay, offset: 1)
    }
}

/// Terms of an ``DebtKind/informal`` debt to a person or shop.
public struct InformalTerms: Hashable, Sendable {
    /// The amount owed.
    public var amount: Money
    /// When it is to be repaid, if agreed.
    public var dueDate: CivilDate?
    /// Agreed interest, if any (simple interest from the creation date to the due date).
    public var rate: Rate?

    /// Creates informal terms.
    public init(amount: Money, dueDate: CivilDate? = nil, rate: Rate? = nil) {
        self.amount = amount
        self.dueDate = dueDate
        self.rate = rate
    }
}

/// The kind-specific terms of a debt.
public enum DebtTerms: Hashable, Sendable {
    /// A loan.
    case loan(LoanTerms)
    /// An installment purchase.
    case installment(InstallmentTerms)
    /// A card or revolving line.
    case card(CardTerms)
    /// An informal debt.
    case informal(InformalTerms)

    /// The kind these terms belong to.
    public var kind: DebtKind {
        switch self {
        case .loan: return .loan
        case .installment: return .installment
        case .card: return .card
        case .informal: return .informal
        }
    }

    /// The original amount: principal, statement balance or informal amount.
    public var originalAmount: Money {
        switch self {
        case let .loan(t): return t.principal
        case let .installment(t): return t.principal
        case let .card(t): return t.statementBalance
        case let .informal(t): return t.amount
        }
    }
}

/// The late-payment penalty (违约金) charged once when a minimum is missed.
public enum LatePenaltyRule: Hashable, Sendable, CustomStringConvertible {
    /// No late penalty.
    case none
    /// A percentage of the unpaid part of the minimum payment, optionally with a floor and a cap.
    case percentOfUnpaidMinimum(Percentage, floor: Money?, cap: Money?)
    /// A fixed amount.
    case fixed(Money)

    /// The default for cards: 5% of the unpaid minimum.
    public static let cardDefault = LatePenaltyRule.percentOfUnpaidMinimum(Percentage(basisPoints: 500), floor: nil, cap: nil)

    /// A readable form, e.g. "5% of the unpaid minimum".
    public var description: String {
        switch self {
        case .none: return "none"
        case let .fixed(m): return m.decimalString
        case let .percentOfUnpaidMinimum(p, floor, cap):
            var text = "\(p) of the unpaid minimum"
            if let floor { text += ", at least \(floor.decimalString)" }
            if let cap { text += ", at most \(cap.decimalString)" }
            return text
        }
    }

    /// Parses a `--late-penalty` value: "none", "5%" (of the unpaid minimum), or an amount ("50").
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, currency: Currency, floor: Money? = nil, cap: Money? = nil, field: String = "late-penalty") throws(FieldError) -> LatePenaltyRule {
        if text == "none" { return .none }
        if text.hasSuffix("%") {
            return .percentOfUnpaidMinimum(try Percentage.parse(text, field: field), floor: floor, cap: cap)
        }
        return .fixed(try Money.parse(text, currency: currency, field: field))
    }

    /// The penalty for `unpaid` minor units of a missed minimum (0 when nothing is unpaid).
    public func penalty(onUnpaid unpaid: Int64) -> Int64 {
        guard unpaid > 0 else { return 0 }
        switch self {
        case .none: return 0
        case let .fixed(m): return m.minorUnits
        case let .percentOfUnpaidMinimum(p, floor, cap):
            var value = p.of(unpaid) ?? 0
            if let floor { value = max(value, floor.minorUnits) }
            if let cap { value = min(value, cap.minorUnits) }
            return value
        }
    }
}

/// Whether a due date that falls on a weekend moves.
public enum WeekendShift: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// It stays on the weekend.
    case none = 0
    /// It moves to the Friday before.
    case before = 1
    /// It moves to the Monday after.
    case after = 2

    /// "none", "before" or "after".
    public var description: String {
        switch self {
        case .none: return "none"
        case .before: return "before"
        case .after: return "after"
        }
    }

    /// Parses "none", "before" or "after".
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String = "weekend-shift") throws(FieldError) -> WeekendShift {
        guard let value = allCases.first(where: { $0.description == text }) else {
            throw FieldError(field: field, value: text, reason: "must be none, before or after")
        }
        return value
    }

    /// `date` moved off a weekend according to this rule.
    public func apply(to date: CivilDate) -> CivilDate {
        switch (self, date.weekday) {
        case (.before, .saturday): return date.adding(days: -1) ?? date
        case (.before, .sunday): return date.adding(days: -2) ?? date
        case (.after, .saturday): return date.adding(days: 2) ?? date
        case (.after, .sunday): return date.adding(days: 1) ?? date
        default: return date
        }
    }
}

/// Why a debt was closed.
public enum CloseReason: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Repaid in full.
    case paidOff = 0
    /// Settled with the lender (for example after negotiation) or written off.
    case settled = 1

    /// "paid-off" or "settled".
    public var description: String { self == .paidOff ? "paid-off" : "settled" }

    /// Parses "paid-off" or "settled".
    /// - Throws: ``FieldError`` naming `field`.
    public static func parse(_ text: String, field: String = "reason") throws(FieldError) -> CloseReason {
        guard let value = allCases.first(where: { $0.description == text }) else {
            throw FieldError(field: field, value: text, reason: "must be paid-off or settled")
        }
        return value
    }
}

/// When and why a debt was closed.
public struct Closure: Hashable, Sendable {
    /// The closing date.
    public var date: CivilDate
    /// The reason.
    public var reason: CloseReason

    /// Creates a closure record.
    public init(date: CivilDate, reason: CloseReason) {
        self.date = date
        self.reason = reason
    }
}

/// Whether a debt is still being tracked.
public enum DebtLifecycle: Sendable, Hashable {
    /// Open.
    case open
    /// Closed on a date, for a reason.
    case closed(Closure)
}

/// One debt: who is owed, its kind-specific terms, and the per-debt conventions that drive
/// status, penalties and reminders. Every convention is a per-debt value with a sensible default.
///
/// ``name``, ``accountReference`` and ``notes`` are sensitive: they exist only inside the
/// encrypted vault and must never be written anywhere else.
public struct Debt: Hashable, Sendable {
    /// Short, typeable id unique within the vault (see ``Debt/validateID(_:field:)``), e.g. "card1".
    public var id: String
    /// The lender or person owed (sensitive).
    public var name: String
    /// Account or contract reference (sensitive).
    public var accountReference: String?
    /// Free-form notes (sensitive).
    public var notes: String?
    /// The currency of every amount of this debt.
    public var currency: Currency
    /// The kind-specific terms.
    public var terms: DebtTerms
    /// Multiplier on the daily rate for penalty interest on overdue amounts (default 1.5).
    public var penaltyMultiplier: Multiplier
    /// Reminder lead days before a due date, distinct, descending (default 3, 1, 0).
    public var leadDays: [Int]
    /// Days after a due date during which a payment still counts as on time (default 3).
    public var graceDays: Int
    /// An unpaid remainder up to this amount counts as paid (default 10.00 major units).
    public var tolerance: Money
    /// The daily rate used for penalty interest. `nil` derives it from the contract rate
    /// (APR / 365); cards default to 0.05%/day.
    public var dailyRate: Rate?
    /// The late penalty rule (default for cards: 5% of the unpaid minimum; others: none).
    public var latePenalty: LatePenaltyRule
    /// The day the debt was added (or started).
    public var createdDate: CivilDate
    /// Set when the debt is closed.
    public var closure: Closure?
    /// Reminders are silenced until (and including the day before) this date.
    public var snoozedUntil: CivilDate?
    /// Weekend shifting of due dates (default none).
    public var weekendShift: WeekendShift
    /// A 0% promotional period ends on this date (planning uses 0 interest until then).
    public var promoUntil: CivilDate?
    /// Overdue reminders stop after this many days overdue (default 30).
    public var overdueReminderCapDays: Int

    /// The default reminder lead days.
    public static let defaultLeadDays = [3, 1, 0]
    /// The default grace days.
    public static let defaultGraceDays = 3
    /// The default card daily rate, 0.05%/day.
    public static let defaultCardDailyRate = Rate(Percentage(scaled: 5_000_000)!, per: .day)
    /// The default overdue reminder cap in days.
    public static let defaultOverdueReminderCapDays = 30

    /// Creates a debt with every convention at its default: penalty multiplier 1.5, lead days
    /// 3/1/0, grace 3 days, tolerance 10.00 major units, daily rate 0.05%/day and late penalty 5% of
    /// the unpaid minimum for cards (contract rate and no late penalty for other kinds).
    /// The currency is taken from the terms' amounts.
    public init(id: String, name: String, terms: DebtTerms, createdDate: CivilDate) {
        self.id = id
        self.name = name
        self.accountReference = nil
        self.notes = nil
        self.currency = terms.originalAmount.currency
        self.terms = terms
        self.penaltyMultiplier = .penaltyDefault
        self.leadDays = Debt.defaultLeadDays
        self.graceDays = Debt.defaultGraceDays
        self.tolerance = Money.major(10, terms.originalAmount.currency)!
        if case .card = terms {
            self.dailyRate = Debt.defaultCardDailyRate
            self.latePenalty = .cardDefault
        } else {
            self.dailyRate = nil
            self.latePenalty = .none
        }
        self.createdDate = createdDate
        self.closure = nil
        self.snoozedUntil = nil
        self.weekendShift = .none
        self.promoUntil = nil
        self.overdueReminderCapDays = Debt.defaultOverdueReminderCapDays
    }

    /// The debt's kind.
    public var kind: DebtKind { terms.kind }
    /// Open or closed.
    public var lifecycle: DebtLifecycle { closure.map(DebtLifecycle.closed) ?? .open }
    /// True while not closed.
    public var isOpen: Bool { closure == nil }

    /// Maximum lengths in UTF-8 bytes of the text fields.
    public static let maximumIDLength = 24
    /// Maximum length of ``name`` in UTF-8 bytes.
    public static let maximumNameLength = 500
    /// Maximum length of ``accountReference`` in UTF-8 bytes.
    public static let maximumAccountReferenceLength = 500
    /// Maximum length of ``notes`` in UTF-8 bytes.
    public static let maximumNotesLength = 20_000

    /// Checks an id: 1-24 characters, lowercase ASCII letters, digits, '-' or '_', starting with a letter.
    /// - Throws: ``FieldError`` naming `field`.
    public static func validateID(_ id: String, field: String = "id") throws(FieldError) {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumIDLength,
              bytes[0] >= 0x61 && bytes[0] <= 0x7A,
              bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }) else {
            throw FieldError(field: field, value: id, reason: "is not a valid id (1-\(maximumIDLength) lowercase letters, digits, '-' or '_', starting with a letter)")
        }
    }

    /// Checks every field and the consistency of the terms (currencies, ranges, days).
    /// - Throws: ``FieldError`` naming the offending field.
    public func validate() throws(FieldError) {
        try Debt.validateID(id)
        func check(_ ok: Bool, _ field: String, _ value: @autoclosure () -> String, _ reason: String) throws(FieldError) {
            if !ok { throw FieldError(field: field, value: value(), reason: reason) }
        }
        func money(_ m: Money, _ field: String, allowZero: Bool = true) throws(FieldError) {
            try check(m.currency == currency, field, m.description, "must be in the debt's currency \(currency.code)")
            try check(allowZero ? m.minorUnits >= 0 : m.minorUnits > 0, field, m.decimalString, allowZero ? "must not be negative" : "must be greater than zero")
        }
        func day(_ d: Int, _ field: String) throws(FieldError) {
            try check((1...31).contains(d), field, String(d), "must be a day of the month between 1 and 31")
        }
        func months(_ n: Int) throws(FieldError) {
            try check((1...600).contains(n), "months", String(n), "must be between 1 and 600")
        }
        try check(!name.isEmpty && name.utf8.count <= Debt.maximumNameLength, "name", name, "must be 1 to \(Debt.maximumNameLength) bytes long")
        try check((accountReference?.utf8.count ?? 0) <= Debt.maximumAccountReferenceLength, "account", "…", "is longer than \(Debt.maximumAccountReferenceLength) bytes")
        try check((notes?.utf8.count ?? 0) <= Debt.maximumNotesLength, "note", "…", "is longer than \(Debt.maximumNotesLength) bytes")
        switch terms {
        case let .loan(t):
            try money(t.principal, "principal", allowZero: false)
            try check(t.rate.period != .total, "rate", t.rate.description, "must be per year, month or day for a loan")
            try months(t.months)
            try day(t.dueDay, "due-day")
            try check(t.dueDay >= t.firstDueDate.day, "due-day", String(t.dueDay), "must not be before the first due date's day (\(t.firstDueDate.day))")
            try check(t.dueDay == t.firstDueDate.day || t.firstDueDate.isLastDayOfMonth, "due-day", String(t.dueDay), "differs from the first due date's day")
            try check(t.firstDueDate.year <= 9000, "first-due", t.firstDueDate.description, "is too far in the future")
        case let .installment(t):
            try money(t.principal, "principal", allowZero: false)
            try months(t.months)
            try day(t.dueDay, "due-day")
            try check(t.dueDay >= t.firstDueDate.day, "due-day", String(t.dueDay), "must not be before the first due date's day (\(t.firstDueDate.day))")
            try check(t.dueDay == t.firstDueDate.day || t.firstDueDate.isLastDayOfMonth, "due-day", String(t.dueDay), "differs from the first due date's day")
            try check(t.firstDueDate.year <= 9000, "first-due", t.firstDueDate.description, "is too far in the future")
        case let .card(t):
            if let limit = t.creditLimit { try money(limit, "credit-limit") }
            try money(t.statementBalance, "balance")
            try day(t.statementDay, "statement-day")
            try day(t.dueDay, "due-day")
            try check(t.statementDate.year <= 9000, "statement-date", t.statementDate.description, "is too far in the future")
            switch t.minimumPayment {
            case let .percent(p, floor):
                try check(p.scaled <= 100 * Percentage.scale, "min-payment", p.description, "must be at most 100%")
                if let floor { try money(floor, "min-payment-floor") }
            case let .fixed(m):
                try money(m, "min-payment")
            }
        case let .informal(t):
            try money(t.amount, "amount", allowZero: false)
            if let rate = t.rate { try check(rate.period != .total, "rate", rate.description, "must be per year, month or day") }
            if let due = t.dueDate { try check(due.year <= 9000, "due", due.description, "is too far in the future") }
        }
        try check(leadDays.count <= 10, "lead-days", leadDays.map(String.init).joined(separator: ","), "has more than 10 entries")
        try check(leadDays.allSatisfy { (0...365).contains($0) }, "lead-days", leadDays.map(String.init).joined(separator: ","), "must be days between 0 and 365")
        try check(Set(leadDays).count == leadDays.count && leadDays == leadDays.sorted(by: >), "lead-days", leadDays.map(String.init).joined(separator: ","), "must be distinct and in descending order")
        try check((0...365).contains(graceDays), "grace-days", String(graceDays), "must be between 0 and 365")
        try money(tolerance, "tolerance")
        if let rate = dailyRate { try check(rate.period != .total, "daily-rate", rate.description, "must be a periodic rate, e.g. 0.05%/day") }
        switch latePenalty {
        case .none: break
        case let .fixed(m): try money(m, "late-penalty")
        case let .percentOfUnpaidMinimum(_, floor, cap):
            if let floor { try money(floor, "late-penalty-floor") }
            if let cap { try money(cap, "late-penalty-cap") }
        }
        try check((0...3650).contains(overdueReminderCapDays), "overdue-cap", String(overdueReminderCapDays), "must be between 0 and 3650 days")
        if let closure { try check(closure.date >= createdDate, "closed", closure.date.description, "is before the creation date \(createdDate)") }
    }

    /// Normalizes a lead-day list: distinct values in descending order.
    public static func normalizedLeadDays(_ days: [Int]) -> [Int] { Array(Set(days)).sorted(by: >) }

    /// Parses a `--lead-days` value such as "3,1,0" (normalized to distinct, descending).
    /// - Throws: ``FieldError`` naming `field`.
    public static func parseLeadDays(_ text: String, field: String = "lead-days") throws(FieldError) -> [Int] {
        var result: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int(part), v <= 365 else {
                throw FieldError(field: field, value: text, reason: "must be comma-separated days between 0 and 365, e.g. 3,1,0")
            }
            result.append(v)
        }
        guard result.count <= 10 else { throw FieldError(field: field, value: text, reason: "has more than 10 entries") }
        return normalizedLeadDays(result)
    }
}

/// One repayment recorded against a debt.
public struct Payment: Hashable, Sendable {
    /// Vault-unique id, assigned in increasing order and never reused.
    public let id: Int
    /// The debt it was paid to.
    public let debtID: String
    /// The day it was paid.
    public let date: CivilDate
    /// The amount (positive, in the debt's currency).
    public let amount: Money
    /// Optional note (sensitive).
    public let note: String?

    /// Creates a payment record (ids are normally assigned by ``VaultDocument/addPayment(debtID:date:amount:note:)``).
    public init(id: Int, debtID: String, date: CivilDate, amount: Money, note: String? = nil) {
        self.id = id
        self.debtID = debtID
        self.date = date
        self.amount = amount
        self.note = note
    }

    /// Maximum note length in UTF-8 bytes.
    public static let maximumNoteLength = 2_000
}

/// Vault-wide settings.
public struct Settings: Hashable, Sendable {
    /// Currency for new debts when none is given (CNY out of the box).
    public var defaultCurrency: Currency
    /// Monthly income for planning, if stored.
    public var monthlyIncome: Money?
    /// Fixed monthly expenses for planning, if stored.
    public var monthlyExpenses: Money?
    /// Day of the month income arrives (1...31), if stored.
    public var payday: Int?
    /// Salt for redacted exports (pseudonymous ids), if one has been generated (1-64 bytes).
    public var exportSalt: [UInt8]?

    /// Settings with every value at its default (CNY, nothing else stored).
    public init(defaultCurrency: Currency = .cny, monthlyIncome: Money? = nil, monthlyExpenses: Money? = nil, payday: Int? = nil, exportSalt: [UInt8]? = nil) {
        self.defaultCurrency = defaultCurrency
        self.monthlyIncome = monthlyIncome
        self.monthlyExpenses = monthlyExpenses
        self.payday = payday
        self.exportSalt = exportSalt
    }

    /// Checks ranges (payday 1...31, non-negative amounts, salt length).
    /// - Throws: ``FieldError`` naming the field.
    public func validate() throws(FieldError) {
        if let payday, !(1...31).contains(payday) {
            throw FieldError(field: "payday", value: String(payday), reason: "must be a day of the month between 1 and 31")
        }
        if let m = monthlyIncome, m.minorUnits < 0 {
            throw FieldError(field: "income", value: m.decimalString, reason: "must not be negative")
        }
        if let m = monthlyExpenses, m.minorUnits < 0 {
            throw FieldError(field: "expenses", value: m.decimalString, reason: "must not be negative")
        }
        if let salt = exportSalt, salt.isEmpty || salt.count > 64 {
            throw FieldError(field: "export-salt", value: "\(salt.count) bytes", reason: "must be 1 to 64 bytes")
        }
    }
}
