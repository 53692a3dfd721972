import DebtModel

/// How pressing an ``AdviceItem`` is; lower sorts first.
public enum AdviceSeverity: Int, Sendable, Comparable, CaseIterable {
    /// Act today: money or the credit record is being lost now.
    case urgent = 0
    /// Act this month: a real cost or risk with the user's own numbers.
    case important = 1
    /// Worth knowing: a quick win, a habit, or the tip of the day.
    case tip = 2

    /// The stable machine value: "urgent", "important" or "tip".
    public var code: String {
        switch self {
        case .urgent: return "urgent"
        case .important: return "important"
        case .tip: return "tip"
        }
    }

    public static func < (lhs: AdviceSeverity, rhs: AdviceSeverity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One piece of advice: what to do, why, with the user's own numbers.
///
/// The ``title`` is one generic line: it never names a lender, a debt id, an account, a note, an
/// exact amount or an exact date (the redacted export prints titles verbatim). Everything personal
/// goes in ``explanation`` and ``action``.
public struct AdviceItem: Sendable, Hashable {
    /// Stable rule code, e.g. "overdue-pay-first" (docs/advice.md lists them all).
    public let code: String
    /// How pressing it is.
    public let severity: AdviceSeverity
    /// One generic line (no names, ids, exact amounts or dates).
    public let title: String
    /// Why, quoting the user's figures: amounts, dates, rates, days, ids and names.
    public let explanation: String
    /// One concrete action, often a `vault ...` command.
    public let action: String
    /// The debts the item is about, most relevant first.
    public let debtIDs: [String]

    /// Creates an item.
    public init(code: String, severity: AdviceSeverity, title: String, explanation: String, action: String, debtIDs: [String] = []) {
        self.code = code
        self.severity = severity
        self.title = title
        self.explanation = explanation
        self.action = action
        self.debtIDs = debtIDs
    }
}

/// The advice rules engine: pure and in memory over one decrypted vault. Nothing it computes is ever
/// written anywhere; it makes no network calls. The rules are listed in docs/advice.md.
public enum AdviceEngine {
    /// Every rule code, in the order the rules run (the order within a severity).
    public static let ruleCodes = [
        "overdue-pay-first", "in-grace-pay-by", "budget-shortfall", "due-soon-unpaid", "debt-to-income",
        "high-cost", "installment-apr", "promo-ending", "minimum-payment-trap", "avalanche-vs-snowball",
        "late-payment-pattern", "last-day-payer", "quick-win", "tip-of-the-day",
    ]

    /// The advice for `document` as of `asOf`, ranked urgent, important, tip; within a severity in
    /// rule order (``ruleCodes``), then as each rule orders its items. Empty when the vault has no
    /// open, unpaid debt; otherwise it always ends with the tip of the day.
    /// - Parameter states: the debts' states as of `asOf`, when the caller has them (closed ones are skipped).
    public static func advise(document: VaultDocument, asOf: CivilDate, states: [DebtState]? = nil) -> [AdviceItem] {
        let context = AdviceContext(document: document, today: asOf, states: states)
        guard !context.states.isEmpty else { return [] }
        var items: [AdviceItem] = []
        items += AdviceRules.overdue(context)
        items += AdviceRules.inGrace(context)
        items += AdviceRules.budgetShortfall(context)
        items += AdviceRules.dueSoon(context)
        items += AdviceRules.debtToIncome(context)
        items += AdviceRules.highCost(context)
        items += AdviceRules.installmentAPR(context)
        items += AdviceRules.promoEnding(context)
        items += AdviceRules.minimumPaymentTrap(context)
        items += AdviceRules.strategy(context)
        items += AdviceRules.latePattern(context)
        items += AdviceRules.lastDayPayer(context)
        items += AdviceRules.quickWin(context)
        items.append(AdviceTips.tipOfTheDay(asOf))
        // A stable sort by severity keeps the rule order within each severity.
        return items.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }
}

/// What the rules share: the open, unpaid debts' states, the plan inputs and the stored budget.
struct AdviceContext {
    let document: VaultDocument
    let today: CivilDate
    /// Open debts that still owe something, in vault order.
    let states: [DebtState]
    let calendar: PlanCalendar
    let inputs: VaultPlanInputs
    /// Income minus expenses when income is stored (may be negative).
    let budget: Money?
    let income: Money?

    init(document: VaultDocument, today: CivilDate, states given: [DebtState]? = nil) {
        self.document = document
        self.today = today
        let all = given?.filter { $0.debt.isOpen } ?? DebtCalculator.states(of: document, asOf: today, includeClosed: false)
        states = all.filter { $0.status != .paidOff && $0.status != .closed }
        calendar = PlanCalendar(today: today, payday: document.settings.payday)
        inputs = VaultPlanInputs(states: states, calendar: calendar)
        let s = document.settings
        income = s.monthlyIncome
        if let income = s.monthlyIncome {
            budget = try? income.subtracting(s.monthlyExpenses.flatMap { $0.currency == income.currency ? $0 : nil } ?? .zero(income.currency))
        } else {
            budget = nil
        }
    }

    /// The plan group in the budget's currency, when a budget is stored.
    var budgetGroup: (currency: Currency, debts: [PlanDebt], states: [DebtState])? {
        guard let budget else { return nil }
        return inputs.groups.first { $0.currency == budget.currency }
    }

    func state(_ id: String) -> DebtState? { states.first { $0.id == id } }
}

// MARK: Formatting (shared by the rules)

enum AdviceFormat {
    /// "1,234.56 CNY".
    static func money(_ m: Money) -> String { "\(m.groupedString) \(m.currency.code)" }
    static func money(_ minor: Int64, _ c: Currency) -> String { money(Money(clamping: minor, currency: c)) }
    /// "13.03%" from a fraction.
    static func percent(_ fraction: Double, decimals: Int = 2) -> String { Finance.percentString(fraction, decimals: decimals) + "%" }
    /// An APR in 10^-8 percentage points as a fraction.
    static func fraction(annualScaled: Int64) -> Double { Double(annualScaled) / Double(Percentage.unitsPerOne) }
    /// "card1 (Merchants Bank card)".
    static func label(_ debt: Debt) -> String { "\(debt.id) (\(debt.name))" }
    static func days(_ n: Int) -> String { "\(n) day\(n == 1 ? "" : "s")" }
    static func months(_ n: Int) -> String { "\(n) month\(n == 1 ? "" : "s")" }
    /// "YYYY-MM".
    static func month(_ d: CivilDate) -> String { "\(d.year)-\(d.month < 10 ? "0" : "")\(d.month)" }
    /// "a, b and c".
    static func list(_ parts: [String]) -> String {
        switch parts.count {
        case 0: return ""
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
    }
    /// Ceiling division for positive amounts.
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { b <= 0 ? a : (a + b - 1) / b }
}
