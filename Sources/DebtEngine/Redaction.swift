import DebtModel

// The redaction engine behind `vault export --redacted`: a pure function from the vault's document, a
// date, the plan summaries and the advice titles to a report that carries no free text, no ids, no exact
// amounts and no exact dates. Randomness (the pseudonym order) comes in as a parameter, so the same
// inputs always give the same report and tests can pin it. docs/export.md states the policy field by field.

/// How amounts are coarsened.
public enum RedactionPrecision: Hashable, Sendable, CustomStringConvertible {
    /// Rounded half up to this many significant figures (1 or 2; 2 is the default).
    case significantFigures(Int)
    /// Shown as the range [k x size, (k+1) x size) of whole major units (100, 1000, 10000 or 100000).
    case bucket(Int64)

    /// The default: 2 significant figures.
    public static let `default` = RedactionPrecision.significantFigures(2)
    /// The bucket sizes `--precision` accepts.
    public static let bucketSizes: [Int64] = [100, 1000, 10_000, 100_000]

    /// "2sf", "1sf", or the bucket size ("1000").
    public var description: String {
        switch self {
        case let .significantFigures(n): return "\(n)sf"
        case let .bucket(size): return String(size)
        }
    }

    /// Parses a `--precision` value: "2sf", "1sf", "100", "1000", "10000" or "100000".
    public static func parse(_ text: String) -> RedactionPrecision? {
        if text == "2sf" { return .significantFigures(2) }
        if text == "1sf" { return .significantFigures(1) }
        if let n = Int64(text), bucketSizes.contains(n) { return .bucket(n) }
        return nil
    }

    /// Coarsens `minorUnits` of `currency`: the rounded value, or the bucket's bounds.
    public func apply(_ minorUnits: Int64, currency: Currency) -> RedactedAmount {
        let v = max(0, minorUnits)
        switch self {
        case let .significantFigures(n):
            return RedactedAmount(currency: currency, value: RedactionPrecision.round(v, significantFigures: n), upper: nil)
        case let .bucket(size):
            let step = size.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
            guard !step.overflow, step.partialValue > 0 else { return RedactedAmount(currency: currency, value: 0, upper: nil) }
            let lower = v / step.partialValue * step.partialValue
            return RedactedAmount(currency: currency, value: lower, upper: lower + step.partialValue)
        }
    }

    /// `value` rounded half up to `n` significant figures (0 stays 0).
    public static func round(_ value: Int64, significantFigures n: Int) -> Int64 {
        guard value > 0, n > 0 else { return 0 }
        var digits = 0
        var x = value
        while x > 0 { digits += 1; x /= 10 }
        guard digits > n else { return value }
        var unit: Int64 = 1
        for _ in 0..<(digits - n) { unit *= 10 }
        let (q, r) = value.quotientAndRemainder(dividingBy: unit)
        let rounded = (r * 2 >= unit ? q + 1 : q)
        let result = rounded.multipliedReportingOverflow(by: unit)
        return result.overflow ? value : result.partialValue
    }

    /// Whether an exact amount's whole part could be printed by this precision on its own (so finding it
    /// in an export is not evidence of a leak): at most the kept significant figures, or a bucket bound.
    func couldPrint(wholeUnits: Int64) -> Bool {
        switch self {
        case let .significantFigures(n): return RedactionPrecision.round(wholeUnits, significantFigures: n) == wholeUnits
        case let .bucket(size): return wholeUnits % size == 0
        }
    }
}

/// A coarsened amount: a rounded figure, or a range when ``upper`` is set.
public struct RedactedAmount: Hashable, Sendable {
    /// The currency.
    public let currency: Currency
    /// The rounded amount (or the range's lower bound), in minor units.
    public let value: Int64
    /// The range's upper bound (exclusive), in minor units, for a bucket precision.
    public let upper: Int64?

    /// Creates a coarsened amount (normally through ``RedactionPrecision/apply(_:currency:)``).
    public init(currency: Currency, value: Int64, upper: Int64?) {
        self.currency = currency
        self.value = value
        self.upper = upper
    }

    /// A plain decimal without trailing zeros or grouping: "5200", "3.5", "0".
    public static func plain(_ minor: Int64, _ currency: Currency) -> String {
        let per = currency.minorUnitsPerMajor
        let whole = minor / per
        var frac = minor % per
        guard frac != 0 else { return String(whole) }
        var width = currency.minorUnits
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: width - f.count) + f
    }

    /// Grouped for reading: "5,200", "12,000", "3.5".
    public static func grouped(_ minor: Int64, _ currency: Currency) -> String {
        let text = plain(minor, currency)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = Array(parts[0])
        var out: [Character] = []
        while whole.count > 3 {
            out = [","] + whole.suffix(3) + out
            whole.removeLast(3)
        }
        let grouped = String(whole + out)
        return parts.count > 1 ? grouped + "." + parts[1] : grouped
    }

    /// "≈5,200 CNY", or "5,000–6,000 CNY" for a range.
    public var display: String {
        if let upper { return "\(RedactedAmount.grouped(value, currency))–\(RedactedAmount.grouped(upper, currency)) \(currency.code)" }
        return "≈\(RedactedAmount.grouped(value, currency)) \(currency.code)"
    }
}

/// How pseudonyms ("Debt A", "Debt B", ...) are assigned to debts.
public enum PseudonymOrder: Hashable, Sendable {
    /// A fresh order from random bytes supplied by the caller (at least 16, from a CSPRNG), so that two
    /// exports cannot be linked by letter.
    case random(seed: [UInt8])
    /// The same order every time for the same salt (stored in the vault) and the same debts.
    case stable(salt: [UInt8])
}

/// A debt's status, coarsened: the exact number of days overdue is never shown.
public enum RedactedStatus: String, Hashable, Sendable, CaseIterable {
    case onTime = "on_time"
    case inGrace = "in_grace"
    case overdue1to30 = "overdue_1_30"
    case overdue31to60 = "overdue_31_60"
    case overdue61to90 = "overdue_61_90"
    case overdue90plus = "overdue_90_plus"
    case paidOff = "paid_off"

    /// The bucket of a status (closed debts are not listed).
    public init(_ status: DebtStatus) {
        switch status {
        case .ok, .dueSoon, .dueToday: self = .onTime
        case .inGrace: self = .inGrace
        case let .overdue(days):
            switch days {
            case ...30: self = .overdue1to30
            case 31...60: self = .overdue31to60
            case 61...90: self = .overdue61to90
            default: self = .overdue90plus
            }
        case .paidOff, .closed: self = .paidOff
        }
    }

    /// "on time", "in grace", "overdue 1-30 days", ..., "overdue 90+ days", "paid off".
    public var label: String {
        switch self {
        case .onTime: return "on time"
        case .inGrace: return "in grace"
        case .overdue1to30: return "overdue 1-30 days"
        case .overdue31to60: return "overdue 31-60 days"
        case .overdue61to90: return "overdue 61-90 days"
        case .overdue90plus: return "overdue 90+ days"
        case .paidOff: return "paid off"
        }
    }
}

/// One currency's plan, as the export needs it (exact; coarsened by ``Redactor``).
public struct RedactionPlanSummary: Hashable, Sendable {
    /// The currency planned.
    public let currency: Currency
    /// The strategy used (avalanche with a stored budget, minimum-only without one).
    public let strategy: PlanStrategy
    /// How the plan ends.
    public let outcome: PlanOutcome
    /// Months until the last debt is paid off, when it is.
    public let monthsToDebtFree: Int?
    /// Interest and fees over the whole plan, in minor units.
    public let totalInterest: Int64
    /// For each planned debt id, the plan month it is paid off in (nil: not within the plan).
    public let payoffMonths: [String: Int?]

    /// Creates a summary.
    public init(currency: Currency, strategy: PlanStrategy, outcome: PlanOutcome, monthsToDebtFree: Int?, totalInterest: Int64,
                payoffMonths: [String: Int?]) {
        self.currency = currency
        self.strategy = strategy
        self.outcome = outcome
        self.monthsToDebtFree = monthsToDebtFree
        self.totalInterest = totalInterest
        self.payoffMonths = payoffMonths
    }

    /// The plans `vault plan` would show without options: per currency, avalanche on the stored budget
    /// (income minus expenses) in that budget's currency, minimum payments only elsewhere.
    /// - Parameter states: the debts' states as of `date`, when the caller has them (closed ones are skipped).
    public static func compute(document: VaultDocument, asOf date: CivilDate, states: [DebtState]? = nil) -> [RedactionPlanSummary] {
        let s = document.settings
        var budget: Money?
        if let income = s.monthlyIncome, let available = try? income.subtracting(s.monthlyExpenses ?? .zero(income.currency)) {
            budget = available
        }
        let calendar = PlanCalendar(today: date, payday: s.payday)
        let open = states?.filter { $0.debt.isOpen } ?? DebtCalculator.states(of: document, asOf: date, includeClosed: false)
        let inputs = VaultPlanInputs(states: open, calendar: calendar)
        return inputs.groups.map { g in
            var request = PlanRequest(debts: g.debts, budget: 0, strategy: .avalanche)
            if let budget, budget.currency == g.currency {
                request.budget = max(0, budget.minorUnits)
            } else {
                request.strategy = .minimum
                request.budget = Money.maximumMinorUnits
            }
            let plan = Planner.plan(request, recordMonths: false)
            var payoff: [String: Int?] = [:]
            for (i, d) in g.debts.enumerated() { payoff[d.id] = plan.payoffMonths[i] }
            return RedactionPlanSummary(currency: g.currency, strategy: request.strategy, outcome: plan.outcome,
                                        monthsToDebtFree: plan.debtFreeMonth, totalInterest: plan.totalCharges, payoffMonths: payoff)
        }
    }
}

/// An advice item as the export receives it: only its code, severity and title (never its explanation,
/// which quotes the user's figures).
public struct RedactionAdviceInput: Hashable, Sendable {
    /// Stable code, e.g. "overdue".
    public let code: String
    /// "urgent", "important" or "tip".
    public let severity: String
    /// The one-line title.
    public let title: String

    /// Creates an input item.
    public init(code: String, severity: String, title: String) {
        self.code = code
        self.severity = severity
        self.title = title
    }
}

/// One debt in a redacted report.
public struct RedactedDebt: Hashable, Sendable {
    /// "Debt A", "Debt B", ...
    public let pseudonym: String
    /// Its kind.
    public let kind: DebtKind
    /// Its balance, coarsened.
    public let balance: RedactedAmount
    /// APR in tenths of a percentage point (183 = 18.3%), when the debt has a rate.
    public let aprTenths: Int?
    /// Months left: unpaid schedule lines for loans and installments, the plan's payoff month otherwise.
    public let monthsLeft: Int?
    /// The status bucket.
    public let status: RedactedStatus
}

/// One currency's plan in a redacted report.
public struct RedactedPlan: Hashable, Sendable {
    /// The currency.
    public let currency: Currency
    /// The strategy.
    public let strategy: PlanStrategy
    /// The outcome.
    public let outcome: PlanOutcome
    /// Months to debt-free, when the plan ends.
    public let monthsToDebtFree: Int?
    /// Total interest and fees, coarsened.
    public let totalInterest: RedactedAmount
}

/// An advice title in a redacted report.
public struct RedactedAdvice: Hashable, Sendable {
    /// Stable code.
    public let code: String
    /// "urgent", "important" or "tip".
    public let severity: String
    /// The title, or the code when the title failed the leak check.
    public let title: String
    /// True when the title was replaced by the code.
    public let titleWithheld: Bool
}

/// Everything a redacted export shows.
public struct RedactedReport: Hashable, Sendable {
    /// The month of the report, "YYYY-MM".
    public let month: String
    /// The precision used for amounts.
    public let precision: RedactionPrecision
    /// Whether pseudonyms follow the vault's stored salt.
    public let stableOrder: Bool
    /// Open debts per kind, in ``DebtKind`` order (kinds with none are left out).
    public let countsByKind: [(kind: DebtKind, count: Int)]
    /// Closed debts (not listed one by one).
    public let closedCount: Int
    /// Total balance of the listed debts per currency, coarsened after summing.
    public let totals: [RedactedAmount]
    /// The debts, in pseudonym order.
    public let debts: [RedactedDebt]
    /// The plans, per currency.
    public let plans: [RedactedPlan]
    /// The advice titles, in the order given.
    public let advice: [RedactedAdvice]

    public static func == (a: RedactedReport, b: RedactedReport) -> Bool {
        a.month == b.month && a.precision == b.precision && a.stableOrder == b.stableOrder && a.closedCount == b.closedCount
            && a.countsByKind.map(\.kind) == b.countsByKind.map(\.kind) && a.countsByKind.map(\.count) == b.countsByKind.map(\.count)
            && a.totals == b.totals && a.debts == b.debts && a.plans == b.plans && a.advice == b.advice
    }

    public func hash(into h: inout Hasher) {
        h.combine(month); h.combine(debts); h.combine(totals)
    }
}

/// Builds redacted reports.
public enum Redactor {
    /// The pseudonym of position `index` (0-based): "Debt A" ... "Debt Z", "Debt AA", "Debt AB", ...
    public static func pseudonym(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            n -= 1
            letters.insert(Character(Unicode.Scalar(UInt8(65 + n % 26))), at: 0)
            n /= 26
        }
        return "Debt " + String(letters)
    }

    /// The redacted report of `document` as of `date`.
    /// - Parameters:
    ///   - plans: the plan summaries (``RedactionPlanSummary/compute(document:asOf:)``).
    ///   - advice: the current advice items; each title passes ``RedactionLeakCheck`` or is replaced by its code.
    ///   - order: how pseudonyms are assigned.
    ///   - states: every debt's state as of `date` (closed ones included), when the caller has them.
    public static func redact(document: VaultDocument, asOf date: CivilDate, plans: [RedactionPlanSummary],
                              advice: [RedactionAdviceInput], precision: RedactionPrecision = .default,
                              order: PseudonymOrder, check givenCheck: RedactionLeakCheck? = nil, states givenStates: [DebtState]? = nil) -> RedactedReport {
        let states = givenStates ?? DebtCalculator.states(of: document, asOf: date, includeClosed: true)
        let listed = states.filter { $0.debt.isOpen }
        var payoff: [String: Int?] = [:]
        for p in plans { payoff.merge(p.payoffMonths) { a, _ in a } }

        // Pseudonym order: sort by a keyed hash, of the position (random) or of the id (stable).
        let keyed: [(UInt64, Int)] = listed.enumerated().map { i, s in
            switch order {
            case let .random(seed): return (SipHash.hash(key: seed, message: Array(String(i).utf8)), i)
            case let .stable(salt): return (SipHash.hash(key: salt, message: Array(s.debt.id.utf8)), i)
            }
        }
        let ordered = keyed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { listed[$0.1] }

        var debts: [RedactedDebt] = []
        var totals: [String: (Currency, Int64)] = [:]
        for (k, s) in ordered.enumerated() {
            let balance = max(0, s.balance.minorUnits)
            let t = totals[s.currency.code] ?? (s.currency, 0)
            totals[s.currency.code] = (s.currency, t.1 &+ balance)
            debts.append(RedactedDebt(pseudonym: pseudonym(k), kind: s.debt.kind,
                                      balance: precision.apply(balance, currency: s.currency),
                                      aprTenths: aprTenths(s.debt), monthsLeft: monthsLeft(s, payoff: payoff),
                                      status: RedactedStatus(s.status)))
        }
        let counts = DebtKind.allCases.compactMap { kind -> (kind: DebtKind, count: Int)? in
            let n = listed.filter { $0.debt.kind == kind }.count
            return n > 0 ? (kind, n) : nil
        }
        // Every title and code is checked in one pass over the vault.
        let check = givenCheck ?? RedactionLeakCheck(document: document, precision: precision, states: states)
        let found = check.findings(in: advice.flatMap { [$0.title, $0.code] }, strict: true)
        let items = advice.enumerated().map { i, a -> RedactedAdvice in
            let clean = found[2 * i].isEmpty
            let code = found[2 * i + 1].isEmpty ? a.code : "advice"
            let severity = ["urgent", "important", "tip"].contains(a.severity) ? a.severity : "tip"
            return RedactedAdvice(code: code, severity: severity, title: clean ? a.title : code, titleWithheld: !clean)
        }
        return RedactedReport(
            month: monthLabel(date), precision: precision, stableOrder: { if case .stable = order { return true } else { return false } }(),
            countsByKind: counts, closedCount: states.count - listed.count,
            totals: totals.sorted { $0.key < $1.key }.map { precision.apply($0.value.1, currency: $0.value.0) },
            debts: debts,
            plans: plans.map { p in
                RedactedPlan(currency: p.currency, strategy: p.strategy, outcome: p.outcome, monthsToDebtFree: p.monthsToDebtFree,
                             totalInterest: precision.apply(p.totalInterest, currency: p.currency))
            },
            advice: items)
    }

    /// "YYYY-MM".
    public static func monthLabel(_ d: CivilDate) -> String {
        let y = String(d.year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (d.month < 10 ? "0" : "") + String(d.month)
    }

    /// APR to 0.1 percentage point (half up): the contract rate of loans and informal debts, the true cost
    /// (IRR of the schedule) of installments, 365 x the daily rate of cards.
    static func aprTenths(_ debt: Debt) -> Int? {
        var scaled: Int64?
        switch debt.terms {
        case let .loan(t): scaled = t.rate.annualScaled
        case .installment:
            if let cost = Finance.cost(of: debt) { scaled = Int64((cost.apr * Double(Percentage.unitsPerOne)).rounded()) }
        case .card: scaled = (debt.dailyRate ?? Debt.defaultCardDailyRate).annualScaled
        case let .informal(t): scaled = t.rate?.annualScaled
        }
        guard let scaled, scaled >= 0 else { return nil }
        // Percentage.scale units are one percentage point; a tenth is scale / 10.
        let tenth = Percentage.scale / 10
        return Int((scaled + tenth / 2) / tenth)
    }

    /// Unpaid schedule lines for loans and installments; the plan's payoff month for cards and informal debts.
    static func monthsLeft(_ s: DebtState, payoff: [String: Int?]) -> Int? {
        if s.status == .paidOff || s.balance.minorUnits <= 0 { return 0 }
        switch s.debt.kind {
        case .loan, .installment: return s.schedule.filter { !$0.isSettled }.count
        case .card, .informal: return payoff[s.debt.id] ?? nil
        }
    }
}

/// Finds what must never appear in a redacted export: the vault's names, account references, notes,
/// payment notes and debt ids, its exact amounts, and day-level dates. Findings name the kind of leak,
/// never the leaked text.
///
/// Nothing is collected up front: a check holds the document (and the states of its debts) and walks it
/// once per call of ``findings(in:strict:)``, against a haystack that is tokenised first. Each of the
/// vault's texts is first tested with a cheap necessary condition on bytes (one of its ASCII words is a
/// word of the haystack, or one of its non-ASCII scalars occurs in it); only the few that pass are searched
/// for exactly. Each exact amount is a lookup in the haystack's small set of numbers. So a check costs one
/// pass over the vault and none of the 100,000 strings or set entries a collected check would build.
public struct RedactionLeakCheck: Sendable {
    /// The vault whose texts, ids and amounts must not appear.
    let document: VaultDocument
    /// The states of its debts as of the export's date (their balances, totals and dues are exact amounts
    /// too); empty for a check without a date.
    let states: [DebtState]
    /// How amounts are coarsened: an exact whole amount the precision could print on its own is no evidence.
    let precision: RedactionPrecision
    /// More amounts to treat as exact (``adding(amounts:precision:)``).
    let extraAmounts: [Money]
    /// More strings to look for whole (``adding(texts:)``): the vault path, the passphrase source.
    let extraTexts: [String]

    /// One text needle: lowercased, its ASCII word tokens, its non-ASCII scalars.
    struct Needle: Sendable {
        let lower: String
        let words: [String]
        let nonASCII: [UInt32]

        init(_ text: String) {
            lower = text.lowercased()
            let scalars = Array(lower.unicodeScalars)
            nonASCII = scalars.filter { $0.value > 0x7F }.map(\.value)
            var words: [String] = []
            var current = String.UnicodeScalarView()
            for c in scalars {
                if c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" { current.append(c) } else if !current.isEmpty {
                    words.append(String(current)); current = String.UnicodeScalarView()
                }
            }
            if !current.isEmpty { words.append(String(current)) }
            self.words = words
        }
    }
    /// Words of the export's own templates; a name or id equal to one of them reveals nothing.
    public static let vocabulary: Set<String> = [
        "debt", "debts", "kind", "kinds", "loan", "loans", "installment", "installments", "card", "cards", "informal",
        "balance", "balances", "total", "totals", "apr", "rate", "months", "month", "left", "status", "on", "time", "in",
        "grace", "overdue", "days", "paid", "off", "plan", "plans", "strategy", "avalanche", "snowball", "minimum",
        "custom", "interest", "and", "fees", "advice", "urgent", "important", "tip", "summary", "redacted", "export",
        "precision", "open", "closed", "currency", "amount", "free", "never", "ends", "budget", "below", "minimums",
        "the", "of", "to", "a", "an", "as", "by", "for", "with", "only", "payments", "payment", "record", "count",
        "value", "upper", "text", "name", "pseudonym", "order", "stable", "random", "vault", "debt-free", "none",
    ]

    /// A check of `document`; with `date` (or the `states` already computed for it), also of the balances,
    /// dues and totals as of that date.
    public init(document: VaultDocument, asOf date: CivilDate? = nil, precision: RedactionPrecision = .default, states: [DebtState]? = nil) {
        self.init(document: document, states: states ?? date.map { DebtCalculator.states(of: document, asOf: $0) } ?? [],
                  precision: precision, extraAmounts: [], extraTexts: [])
    }

    init(document: VaultDocument, states: [DebtState], precision: RedactionPrecision, extraAmounts: [Money], extraTexts: [String]) {
        self.document = document
        self.states = states
        self.precision = precision
        self.extraAmounts = extraAmounts
        self.extraTexts = extraTexts
    }

    /// Also treats these amounts (e.g. balances and totals as of the export's date) as exact amounts.
    public func adding(amounts extra: [Money], precision: RedactionPrecision = .default) -> RedactionLeakCheck {
        RedactionLeakCheck(document: document, states: states, precision: self.precision, extraAmounts: extraAmounts + extra, extraTexts: extraTexts)
    }

    /// Also looks for these strings (the vault path, the passphrase source) anywhere.
    public func adding(texts extra: [String]) -> RedactionLeakCheck {
        RedactionLeakCheck(document: document, states: states, precision: precision, extraAmounts: extraAmounts,
                           extraTexts: extraTexts + extra.filter { $0.count >= 3 })
    }

    /// What one of the vault's free texts (a name, account reference or note) is searched for as: the whole
    /// trimmed text, and its words of 4 or more letters (a lender's name may be quoted in part); the
    /// export's own template words and bare numbers are left out.
    static func needleTexts(of s: String) -> [String] {
        var out: [String] = []
        let trimmed = s.trimmingWhitespace()
        if trimmed.count >= 2 || trimmed.unicodeScalars.contains(where: { $0.value > 0x7F }) {
            if !vocabulary.contains(trimmed.lowercased()) { out.append(trimmed) }
        }
        for word in s.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) where word.count >= 4 {
            let w = String(word)
            if !vocabulary.contains(w.lowercased()), !w.allSatisfy(\.isNumber) { out.append(w) }
        }
        return out
    }

    /// Every exact amount of the vault, once each (with repeats): amounts of the debts, the payments and the
    /// settings; with states, each debt's balance, paid, remaining, overdue, penalties and next due, and the
    /// open balances' total per currency; then the extra amounts.
    func forEachAmount(_ body: (Money) -> Void) {
        for d in document.debts {
            body(d.terms.originalAmount)
            body(d.tolerance)
            if case let .card(t) = d.terms, let limit = t.creditLimit { body(limit) }
        }
        var sums: [String: (Currency, Int64)] = [:]
        for s in states {
            for m in [s.balance, s.totalPaid, s.remaining, s.overdueAmount, s.penaltyInterest, s.latePenalty] { body(m) }
            if let due = s.nextDue { body(due.amount) }
            if s.debt.isOpen {
                let t = sums[s.currency.code] ?? (s.currency, 0)
                sums[s.currency.code] = (s.currency, t.1 &+ max(0, s.balance.minorUnits))
            }
        }
        for (_, (c, total)) in sums { if let m = Money(minorUnits: total, currency: c) { body(m) } }
        for p in document.payments { body(p.amount) }
        if let m = document.settings.monthlyIncome { body(m) }
        if let m = document.settings.monthlyExpenses { body(m) }
        for m in extraAmounts { body(m) }
    }

    /// A number's value in units of its last decimal, tagged with the number of decimals.
    static func amountKey(value: Int64, decimals: Int) -> Int64 { value &* 16 &+ Int64(decimals) }

    /// The key of a number token of the text ("1,234.56" -> 123456 with 2 decimals), if it parses.
    static func amountKey(token: String) -> Int64? {
        let parts = token.filter { $0 != "," }.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]) else { return nil }
        guard parts.count == 2 else { return amountKey(value: whole, decimals: 0) }
        let fraction = parts[1]
        guard (1...4).contains(fraction.count), let f = Int64(fraction) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<fraction.count { scale *= 10 }
        let (v, overflow) = whole.multipliedReportingOverflow(by: scale)
        return overflow ? nil : amountKey(value: v &+ f, decimals: fraction.count)
    }

    /// What `text` leaks, as kinds ("a name, account reference or note", "a debt id", "an exact amount",
    /// "a day-level date"). `strict` (for advice titles) also refuses any run of 3 or more digits.
    public func findings(in text: String, strict: Bool = false) -> [String] {
        findings(in: [text], strict: strict)[0]
    }

    /// ``findings(in:strict:)`` of several texts in one pass over the vault.
    public func findings(in texts: [String], strict: Bool = false) -> [[String]] {
        let hay = texts.map(Haystack.init)
        var anyRuns: Set<UInt64> = [], anyScalars: Set<UInt32> = [], anyNumbers: Set<Int64> = []
        for h in hay {
            anyRuns.formUnion(h.runs); anyScalars.formUnion(h.tokens.scalars); anyNumbers.formUnion(h.numberKeys)
        }
        var textLeak = [Bool](repeating: false, count: hay.count)
        var amountLeak = textLeak

        // Free texts: the cheap byte test against all haystacks at once, the exact search for the rare text that passes.
        func exact(_ needles: [String]) {
            let built = needles.map(Needle.init)
            for (k, h) in hay.enumerated() where !textLeak[k] {
                if built.contains(where: { h.tokens.mayContain($0) && RedactionLeakCheck.contains(scalars: h.lowerScalars, $0.lower) }) { textLeak[k] = true }
            }
        }
        func check(_ s: String?) {
            guard let s, !s.isEmpty, RedactionLeakCheck.mayOccur(s, runs: anyRuns, scalars: anyScalars) else { return }
            exact(RedactionLeakCheck.needleTexts(of: s))
        }
        for d in document.debts { check(d.name); check(d.accountReference); check(d.notes) }
        for p in document.payments where p.note != nil { check(p.note) }
        if !extraTexts.isEmpty { exact(extraTexts) }

        // Exact amounts: each is a lookup in the haystacks' numbers.
        if !anyNumbers.isEmpty {
            let precision = self.precision
            // A 65,536-bit filter on the keys' low bits spares most lookups in the set.
            var filter = [UInt64](repeating: 0, count: 1024)
            for key in anyNumbers { filter[Int(key & 0xFFFF) >> 6] |= 1 << UInt64(key & 63) }
            func present(_ key: Int64) -> Bool { filter[Int(key & 0xFFFF) >> 6] & (1 << UInt64(key & 63)) != 0 && anyNumbers.contains(key) }
            func mark(_ key: Int64) { for (k, h) in hay.enumerated() where h.numberKeys.contains(key) { amountLeak[k] = true } }
            forEachAmount { m in
                // An exact amount's keys: its value with all its decimals ("1234.56", and "1234.00" too: coarsened
                // figures are printed without trailing zeros, so they never take this form), and its whole part
                // when that is 1,000 or more and the precision could not print it (tested after the lookup).
                guard m.minorUnits > 0 else { return }
                let per = m.currency.minorUnitsPerMajor
                if m.currency.minorUnits > 0 {
                    let exact = RedactionLeakCheck.amountKey(value: m.minorUnits, decimals: m.currency.minorUnits)
                    if present(exact) { mark(exact) }
                }
                let whole = m.minorUnits / per
                if whole >= 1000 {
                    let key = RedactionLeakCheck.amountKey(value: whole, decimals: 0)
                    if present(key), !precision.couldPrint(wholeUnits: whole) { mark(key) }
                }
            }
        }

        let ids = document.debts.map(\.id).filter { $0.count >= 2 && !RedactionLeakCheck.vocabulary.contains($0) }.map { $0.lowercased() }
        return hay.enumerated().map { k, h in
            var out: [String] = []
            if textLeak[k] { out.append("a name, account reference or note") }
            if ids.contains(where: { h.tokens.words.contains($0) && RedactionLeakCheck.contains(scalars: h.lowerScalars, $0) }) { out.append("a debt id") }
            if amountLeak[k] { out.append("an exact amount") }
            // Every exact date of the vault is a YYYY-MM-DD spelling, which the pattern check finds.
            if RedactionLeakCheck.hasDayLevelDate(h.text) { out.append("a day-level date") }
            if strict && RedactionLeakCheck.hasDigitRun(h.text, length: 3) { out.append("a figure") }
            return out
        }
    }

    /// A text to be checked, tokenised once: the scalars of its lowercased form, its tokens, the hashes of
    /// its maximal runs of ASCII letters and digits (lowercased), and the keys of its numbers.
    struct Haystack {
        let text: String
        let lowerScalars: [Unicode.Scalar]
        let tokens: HaystackTokens
        let runs: Set<UInt64>
        let numberKeys: Set<Int64>

        init(_ text: String) {
            self.text = text
            let lower = text.lowercased()
            lowerScalars = Array(lower.unicodeScalars)
            tokens = HaystackTokens(lower: lower)
            var runs: Set<UInt64> = []
            RedactionLeakCheck.forEachASCIIRun(lower) { h, _ in runs.insert(h) }
            self.runs = runs
            numberKeys = Set(tokens.numbers.compactMap(RedactionLeakCheck.amountKey(token:)))
        }
    }

    /// Calls `body` with the FNV-1a hash of each maximal run of ASCII letters and digits of `s`, lowercased
    /// (every other byte, non-ASCII ones included, ends a run), and whether the run starts right after a
    /// non-ASCII byte. Returns whether `s` has a non-ASCII byte.
    @discardableResult
    static func forEachASCIIRun(_ s: String, _ body: (_ hash: UInt64, _ afterNonASCII: Bool) -> Void) -> Bool {
        let offset: UInt64 = 0xcbf2_9ce4_8422_2325, prime: UInt64 = 0x100_0000_01b3
        var h = offset, inRun = false, nonASCII = false, previousNonASCII = false, startedAfterNonASCII = false
        for var b in s.utf8 {
            let alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if alnum {
                if !inRun { startedAfterNonASCII = previousNonASCII }
                if b <= 0x5A && b >= 0x41 { b += 0x20 }
                h = (h ^ UInt64(b)) &* prime
                inRun = true
            } else {
                if b >= 0x80 { nonASCII = true }
                if inRun { body(h, startedAfterNonASCII); h = offset; inRun = false }
            }
            previousNonASCII = b >= 0x80
        }
        if inRun { body(h, startedAfterNonASCII) }
        return nonASCII
    }

    /// A necessary condition for any needle of `s` (``needleTexts(of:)``) to occur in a haystack with these
    /// ASCII runs and non-ASCII scalars. An ASCII needle that occurs as a whole token has every one of its
    /// maximal letter-and-digit runs among the haystack's runs (its neighbours in the haystack are not word
    /// characters); a non-ASCII needle occurs only if its lowercased non-ASCII scalars do. So `s` can be
    /// skipped when none of its runs is a haystack run and none of its non-ASCII scalars occurs in the
    /// haystack or changes when lowercased, except in two cases the argument does not cover, which are
    /// always searched for exactly:
    /// - a run that starts right after a non-ASCII scalar: a word is split by Characters, and a Prepend
    ///   scalar (U+0600, U+06DD, ...) joins the next ASCII letter into one Character that is neither letter
    ///   nor digit, so the word can be a proper suffix of the run;
    /// - no run at all, with no non-ASCII scalar left once whitespace is trimmed (the needle "..", from
    ///   "\u{3000}..", has neither a run nor a non-ASCII scalar).
    static func mayOccur(_ s: String, runs: Set<UInt64>, scalars: Set<UInt32>) -> Bool {
        var hit = false, anyRun = false
        let nonASCII = forEachASCIIRun(s) { h, afterNonASCII in
            anyRun = true
            if afterNonASCII || runs.contains(h) { hit = true }
        }
        if hit { return true }
        if !anyRun && !s.trimmingWhitespace().unicodeScalars.contains(where: { $0.value > 0x7F }) { return true }
        guard nonASCII else { return false }
        for u in s.unicodeScalars where u.value > 0x7F {
            if scalars.contains(u.value) || u.properties.changesWhenLowercased { return true }
        }
        return false
    }
    /// The tokens of a text to be checked: lowercased ASCII words (letters, digits, '_' and '-'; any other
    /// byte, a non-ASCII one included, ends a word), maximal numbers (digits with single '.' or ',' between
    /// digits), and the non-ASCII scalars present. Words are a superset of the text's whole-token words (a
    /// word next to a non-ASCII letter is split off here), so a hit is confirmed by an exact search.
    struct HaystackTokens {
        var words: Set<String> = []
        var numbers: Set<String> = []
        var scalars: Set<UInt32> = []

        /// From the lowercased text.
        init(lower: String) {
            for u in lower.unicodeScalars where u.value > 0x7F { scalars.insert(u.value) }
            let b = Array(lower.utf8)
            func isWord(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c == 0x2D }
            func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
            var i = 0
            while i < b.count {
                guard isWord(b[i]) else { i += 1; continue }
                var j = i
                while j < b.count && isWord(b[j]) { j += 1 }
                words.insert(String(decoding: b[i..<j], as: UTF8.self))
                i = j
            }
            i = 0
            while i < b.count {
                guard isDigit(b[i]) else { i += 1; continue }
                var j = i
                while j < b.count {
                    if isDigit(b[j]) { j += 1 } else if (b[j] == 0x2E || b[j] == 0x2C), j + 1 < b.count, isDigit(b[j + 1]) { j += 1 } else { break }
                }
                numbers.insert(String(decoding: b[i..<j], as: UTF8.self))
                i = j
            }
        }

        /// A cheap necessary condition for `needle` to occur: its non-ASCII scalars are present, and
        /// (for ASCII needles) each of its word tokens is a word of the text.
        func mayContain(_ needle: Needle) -> Bool {
            if !needle.nonASCII.isEmpty { return needle.nonASCII.allSatisfy { scalars.contains($0) } }
            return needle.words.allSatisfy { words.contains($0) }
        }
    }

    /// `needle` in the haystack (given as its scalars) as a whole token (not inside a longer word), or
    /// anywhere for non-ASCII text; scalars are compared exactly (no normalisation: the export copies text
    /// byte for byte, so a leak would be in the vault's own form).
    static func contains(scalars h: [Unicode.Scalar], _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        let n = Array(needle.unicodeScalars)
        if n.contains(where: { $0.value > 0x7F }) {
            // Non-ASCII text counts anywhere, compared scalar for scalar (as the cheap tests assume).
            guard n.count <= h.count else { return false }
            for i in 0...(h.count - n.count) where h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) { return true }
            return false
        }
        guard n.count <= h.count else { return false }
        func word(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "_" || u == "-" }
        for i in 0...(h.count - n.count) where h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) {
            let before = i == 0 || !word(h[i - 1]) || !word(n[0])
            let after = i + n.count == h.count || !word(h[i + n.count]) || !word(n[n.count - 1])
            if before && after { return true }
        }
        return false
    }

    /// YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, DD/MM/YYYY-like patterns and "M月D日".
    static func hasDayLevelDate(_ text: String) -> Bool {
        let u = Array(text.unicodeScalars)
        func digits(_ i: Int, _ n: Int) -> Bool { i >= 0 && i + n <= u.count && u[i..<(i + n)].allSatisfy { ("0"..."9").contains($0) } }
        for i in u.indices {
            // YYYY-MM-DD and friends
            if digits(i, 4), i + 4 < u.count, "-/.".unicodeScalars.contains(u[i + 4]) {
                let sep = u[i + 4]
                var j = i + 5
                let m = digits(j, 2) ? 2 : (digits(j, 1) ? 1 : 0)
                j += m
                if m > 0, j < u.count, u[j] == sep, digits(j + 1, 1) { return true }
            }
            // DD/MM/YYYY
            if (digits(i, 2) || digits(i, 1)), let s = u.indices.contains(i + (digits(i, 2) ? 2 : 1)) ? u[i + (digits(i, 2) ? 2 : 1)] : nil, s == "/" {
                let j = i + (digits(i, 2) ? 2 : 1) + 1
                let m = digits(j, 2) ? 2 : (digits(j, 1) ? 1 : 0)
                if m > 0, j + m < u.count, u[j + m] == "/", digits(j + m + 1, 2) { return true }
            }
            if u[i] == "月", i + 1 < u.count, digits(i + 1, 1) { return true }
        }
        return false
    }

    static func hasDigitRun(_ text: String, length: Int) -> Bool {
        var run = 0
        for u in text.unicodeScalars {
            run = ("0"..."9").contains(u) ? run + 1 : 0
            if run >= length { return true }
        }
        return false
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// SipHash-2-4 (Aumasson & Bernstein), used only to order pseudonyms from a key; not for secrecy of
/// anything but that order. The key is the first 16 bytes of `key` with any further bytes folded in.
enum SipHash {
    static func hash(key: [UInt8], message: [UInt8]) -> UInt64 {
        var k = [UInt8](repeating: 0, count: 16)
        for (i, b) in key.enumerated() { k[i % 16] ^= b }
        func le(_ b: ArraySlice<UInt8>) -> UInt64 { b.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) } }
        let k0 = le(k[0..<8]), k1 = le(k[8..<16])
        var v0: UInt64 = 0x736f6d6570736575 ^ k0, v1: UInt64 = 0x646f72616e646f6d ^ k1
        var v2: UInt64 = 0x6c7967656e657261 ^ k0, v3: UInt64 = 0x7465646279746573 ^ k1
        func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }
        func round() {
            v0 = v0 &+ v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
            v2 = v2 &+ v3; v3 = rotl(v3, 16); v3 ^= v2
            v0 = v0 &+ v3; v3 = rotl(v3, 21); v3 ^= v0
            v2 = v2 &+ v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
        }
        let full = message.count / 8 * 8
        var i = 0
        while i < full {
            let m = le(message[i..<(i + 8)])
            v3 ^= m; round(); round(); v0 ^= m
            i += 8
        }
        var last = UInt64(message.count & 0xff) << 56
        for (j, b) in message[full...].enumerated() { last |= UInt64(b) << (8 * UInt64(j)) }
        v3 ^= last; round(); round(); v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
