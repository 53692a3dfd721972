import DebtModel

/// Maps plan months to dates: month 1 is the month containing "today"; each month's payment is made
/// on the payday (when one is stored) or on today's day of the month, never before today.
public struct PlanCalendar: Hashable, Sendable {
    /// The first day of the plan.
    public let today: CivilDate
    /// The day of the month money arrives, if known.
    public let payday: Int?

    /// Creates a calendar.
    public init(today: CivilDate, payday: Int? = nil) {
        self.today = today
        self.payday = payday
    }

    /// The payment date of plan month `month` (1-based).
    public func date(ofMonth month: Int) -> CivilDate {
        let day = payday ?? today.day
        if month <= 1 {
            guard let thisMonth = CivilDate(year: today.year, month: today.month, clampingDay: day), thisMonth >= today else { return today }
            return thisMonth
        }
        return CivilDate.monthly(from: today, day: day, offset: month - 1) ?? today
    }

    /// The plan month (1-based) a date falls in: its calendar month counted from today's; dates in the
    /// past are month 1.
    public func month(of date: CivilDate) -> Int {
        max(1, (date.year - today.year) * 12 + (date.month - today.month) + 1)
    }

    /// The plan month of a "YYYY-MM" calendar month; `nil` when it is before today's month.
    public func month(year: Int, month m: Int) -> Int? {
        let k = (year - today.year) * 12 + (m - today.month) + 1
        return k >= 1 ? k : nil
    }

    /// "YYYY-MM" of plan month `month`.
    public func label(ofMonth month: Int) -> String {
        let total = today.year * 12 + (today.month - 1) + (month - 1)
        let y = total / 12, m = total % 12 + 1
        return "\(y)-\(m < 10 ? "0" : "")\(m)"
    }
}

extension PlanDebt {
    /// The plan view of a vault debt as of its state's date (``DebtState/asOf``):
    /// - card: the outstanding balance, APR = 365 x its daily rate (default 0.05%/day), its minimum
    ///   rule each month, and at least the amount already due this month;
    /// - loan: the unpaid lines of its own schedule (interest scaled if extra payments run ahead);
    /// - installment: the unpaid lines of its schedule (fees on the original principal; no extra is
    ///   put on it);
    /// - informal: its balance, its rate (if any) as APR, and the whole balance due in its due month
    ///   (no minimum without a due date).
    /// The promo period (``Debt/promoUntil``) gives 0% interest in every month whose payment date is on
    /// or before it. `nil` for a closed or paid-off debt.
    public init?(state: DebtState, calendar: PlanCalendar) {
        let debt = state.debt
        guard debt.isOpen, state.status != .paidOff else { return nil }
        let c = calendar
        var annual: Int64 = 0
        var minimum: PlanMinimum = .none
        var lines: [PlanLine] = []
        var acceptsExtra = true
        var firstDue: Int64 = 0
        var settle: Int64 = 0
        var balance = state.balance.minorUnits
        switch debt.terms {
        case let .card(t):
            annual = (debt.dailyRate ?? Debt.defaultCardDailyRate).annualScaled ?? 0
            minimum = .rule(t.minimumPayment)
            settle = debt.tolerance.minorUnits
            if let next = state.nextDue, c.month(of: next.date) == 1 { firstDue = next.amount.minorUnits }
        case let .loan(t):
            annual = t.rate.annualScaled ?? 0
            lines = PlanDebt.remainingLines(state, calendar: c)
        case let .installment(t):
            acceptsExtra = false
            lines = PlanDebt.remainingLines(state, calendar: c)
            // Rank by the true cost (IRR) of the installment's own schedule.
            if let cost = Finance.cost(of: debt) {
                annual = Int64((cost.apr * Double(Percentage.unitsPerOne)).rounded())
            } else if let a = t.fee.annualScaled {
                annual = a
            }
        case let .informal(t):
            annual = t.rate?.annualScaled ?? 0
            if let due = t.dueDate { minimum = .inFull(fromMonth: c.month(of: due)) }
        }
        if !lines.isEmpty { balance = lines.reduce(Int64(0)) { $0 + $1.principal } }
        guard balance > 0 else { return nil }
        self.init(id: debt.id, balance: balance, annualScaled: annual, minimum: minimum)
        self.schedule = lines
        self.acceptsExtra = acceptsExtra
        self.firstMonthDue = firstDue
        self.settleBelow = settle
        if let promo = debt.promoUntil {
            var k = 0
            while k < Planner.maximumMonths && c.date(ofMonth: k + 1) <= promo { k += 1 }
            self.promoMonths = k
        }
        // Penalty APR: the daily penalty rate (the debt's daily rate, else its contract rate / 365) x 365 x multiplier.
        var penaltyRate: Rate? = debt.dailyRate
        if penaltyRate == nil {
            switch debt.terms {
            case let .loan(t): penaltyRate = t.rate
            case let .informal(t): penaltyRate = t.rate
            case let .installment(t): penaltyRate = t.fee.period == .total ? nil : t.fee
            case .card: penaltyRate = Debt.defaultCardDailyRate
            }
        }
        let base = penaltyRate?.annualScaled ?? 0
        self.penaltyAnnualScaled = ExactMath.mulDivRoundHalfUp(base, Int64(debt.penaltyMultiplier.thousandths), 1000) ?? base
        self.latePenalty = debt.latePenalty
    }

    /// The unpaid parts of a scheduled debt's lines, placed in plan months (overdue ones in month 1).
    /// Within a partly paid line, payments went to interest and fees first.
    static func remainingLines(_ state: DebtState, calendar: PlanCalendar) -> [PlanLine] {
        var out: [PlanLine] = []
        for e in state.schedule where !e.isSettled {
            let l = e.line
            var paid = e.paid.minorUnits
            let interest = max(0, l.interest.minorUnits - paid); paid = max(0, paid - l.interest.minorUnits)
            let fee = max(0, l.fee.minorUnits - paid); paid = max(0, paid - l.fee.minorUnits)
            let principal = max(0, l.principal.minorUnits - paid)
            guard principal + interest + fee > 0 else { continue }
            out.append(PlanLine(month: calendar.month(of: l.effectiveDueDate), principal: principal, interest: interest, fee: fee,
                                scheduledBalanceBefore: l.balanceAfter.minorUnits + principal))
        }
        return out
    }
}

/// Planning inputs derived from a vault: the open debts grouped by currency.
public struct VaultPlanInputs: Sendable {
    /// One group per currency, in currency-code order; the debts in vault order.
    public let groups: [(currency: Currency, debts: [PlanDebt], states: [DebtState])]

    /// Groups the open, unpaid debts of `states` by currency.
    public init(states: [DebtState], calendar: PlanCalendar) {
        var byCode: [String: (Currency, [PlanDebt], [DebtState])] = [:]
        for s in states {
            guard let d = PlanDebt(state: s, calendar: calendar) else { continue }
            // Appended in place: taking the entry out and putting it back would copy both arrays every time.
            byCode[s.currency.code, default: (s.currency, [], [])].1.append(d)
            byCode[s.currency.code, default: (s.currency, [], [])].2.append(s)
        }
        groups = byCode.sorted { $0.key < $1.key }.map { (currency: $0.value.0, debts: $0.value.1, states: $0.value.2) }
    }
}
