import DebtModel

/// The advice rules (docs/advice.md). Each takes the shared context and returns its items in the
/// order it wants them shown. Plan numbers come from ``Planner``; rates from ``Finance``.
enum AdviceRules {
    typealias F = AdviceFormat

    /// The regulators' APR lines (domain.md), as fractions.
    static let line24 = 0.24, line36 = 0.36
    /// "Small" strategy difference: at most this share of the revolving balances, and at most one month.
    static let smallDifferenceShare = 0.01
    /// Snowball's motivating first payoff must come within this many months.
    static let quickPayoffMonths = 3
    /// Promo periods ending within this many days are flagged.
    static let promoWindowDays = 60
    /// Paying only the minimum is flagged when it takes at least this many months.
    static let minimumTrapMonths = 12
    /// Debt-to-income lines, as fractions of income.
    static let dtiWarning = 0.36, dtiDanger = 0.50
    /// Late payments in the last 12 months that make a pattern.
    static let latePatternCount = 2
    /// Payments on the due day itself that make a habit (and at least half of the recent payments).
    static let lastDayCount = 3

    // MARK: helpers

    /// The nominal APR of a debt in 10^-8 points: a card's 365 x daily rate, a loan's or informal
    /// debt's contract rate, an installment's IRR-based APR (``Finance/cost(of:)``).
    static func annualScaled(_ debt: Debt) -> Int64? {
        switch debt.terms {
        case .card: return (debt.dailyRate ?? Debt.defaultCardDailyRate).annualScaled
        case let .loan(t): return t.rate.annualScaled
        case let .informal(t): return t.rate?.annualScaled
        case .installment:
            return Finance.cost(of: debt).map { Int64(($0.apr * Double(Percentage.unitsPerOne)).rounded()) }
        }
    }

    /// Penalty interest per day on the overdue amount, in 1/10,000 of a minor unit.
    static func overdueCostPerDayE4(_ s: DebtState) -> Int64 {
        DebtCalculator.penaltyInterest(debt: s.debt, unpaid: s.overdueAmount.minorUnits, days: 10_000)
    }

    static func perDay(_ e4: Int64, _ c: Currency) -> String { F.money((e4 + 5_000) / 10_000, c) }

    /// The regular monthly payment of a debt (no arrears): the next schedule line of a loan or
    /// installment, a card's minimum rule on its balance, nothing for an informal debt.
    static func regularMonthlyPayment(_ s: DebtState) -> Int64 {
        switch s.debt.terms {
        case .loan, .installment:
            return s.schedule.first { !$0.isSettled && $0.line.effectiveDueDate >= s.asOf }?.line.amount.minorUnits
                ?? s.schedule.first { !$0.isSettled }?.line.amount.minorUnits ?? 0
        case let .card(t): return t.minimumPayment.minimum(on: s.balance.minorUnits)
        case .informal: return 0
        }
    }

    /// The avalanche plan of the budget's currency group, with the budget (0 when negative).
    static func budgetPlan(_ c: AdviceContext, strategy: PlanStrategy = .avalanche) -> Plan? {
        guard let budget = c.budget, let group = c.budgetGroup else { return nil }
        return Planner.plan(PlanRequest(debts: group.debts, budget: max(0, budget.minorUnits), strategy: strategy), recordMonths: false)
    }

    static func budgetSource(_ c: AdviceContext) -> String {
        guard let budget = c.budget, let income = c.income else { return "" }
        if let e = c.document.settings.monthlyExpenses, e.currency == income.currency {
            return "your stored income of \(F.money(income)) minus fixed expenses of \(F.money(e)) leaves \(F.money(budget)) a month for debts"
        }
        return "your stored income of \(F.money(income)) a month (no fixed expenses stored) is the budget for debts"
    }

    // MARK: 1. overdue

    static func overdue(_ c: AdviceContext) -> [AdviceItem] {
        let overdue = c.states.filter { if case .overdue = $0.status { return true } else { return false } }
        guard !overdue.isEmpty else { return [] }
        let ranked = overdue.map { ($0, overdueCostPerDayE4($0)) }
            .enumerated().sorted { ($1.element.1, $0.offset) < ($0.element.1, $1.offset) }.map(\.element)
        var parts: [String] = []
        for (s, e4) in ranked {
            let d = s.debt, cur = s.currency
            let due = s.nextDue?.date ?? c.today.adding(days: -s.daysOverdue) ?? c.today
            let graceEnd = due.adding(days: d.graceDays) ?? due
            var text = "\(F.label(d)) is \(F.days(s.daysOverdue)) overdue: \(F.money(s.overdueAmount)) unpaid since \(due), "
                + "accruing about \(perDay(e4, cur)) a day in penalty interest (\(F.money(s.penaltyInterest)) so far)"
            if s.latePenalty.isPositive { text += " plus a late penalty (违约金) of \(F.money(s.latePenalty))" }
            text += ". Its \(d.graceDays)-day grace period ended on \(graceEnd), so the lender may already report it to the credit bureau (征信); "
                + "a negative record stays 5 years after it is settled."
            parts.append(text)
        }
        let first = ranked[0].0
        var explanation = parts.joined(separator: " ")
        if ranked.count > 1 {
            explanation += " Pay \(first.id) first: of your \(ranked.count) overdue debts it costs the most per day."
        }
        explanation += " If you cannot pay, contact \(first.debt.name) through its own app, website or hotline and ask for negotiated repayment "
            + "(协商还款, an installment arrangement of up to 5 years); the lender's own channels are free. Paid \"debt negotiation agents\" "
            + "who promise to erase penalties are a known scam."
        let pay = Money(clamping: first.overdueAmount.minorUnits + first.inGraceAmount.minorUnits, currency: first.currency)
        return [AdviceItem(code: "overdue-pay-first", severity: .urgent,
                           title: ranked.count > 1 ? "Overdue debts: pay the one that costs most per day first" : "An overdue debt is costing you every day",
                           explanation: explanation,
                           action: "vault pay \(first.id) \(pay.decimalString)",
                           debtIDs: ranked.map { $0.0.id })]
    }

    // MARK: 2. in grace / due soon

    static func inGrace(_ c: AdviceContext) -> [AdviceItem] {
        c.states.compactMap { s in
            guard case let .inGrace(daysLate, payBy) = s.status else { return nil }
            let due = s.nextDue?.date ?? c.today
            return AdviceItem(
                code: "in-grace-pay-by", severity: .urgent, title: "A payment is past its due date but still inside the grace period",
                explanation: "\(F.label(s.debt)): \(F.money(s.inGraceAmount)) was due on \(due), \(F.days(daysLate)) ago. It is still inside its "
                    + "\(s.debt.graceDays)-day grace period (容时): paid by \(payBy) it counts as on time; from \(payBy.adding(days: 1) ?? payBy) it is "
                    + "overdue, accrues penalty interest and may be reported to the credit bureau.",
                action: "vault pay \(s.id) \(s.inGraceAmount.decimalString)", debtIDs: [s.id])
        }
    }

    static func dueSoon(_ c: AdviceContext) -> [AdviceItem] {
        var due: [(DebtState, DueAmount, Int)] = []
        for s in c.states {
            guard let next = s.nextDue, next.amount.isPositive else { continue }
            switch s.status {
            case .dueToday: due.append((s, next, 0))
            case let .dueSoon(days) where days <= (s.debt.leadDays.max() ?? 0): due.append((s, next, days))
            default: continue
            }
        }
        guard !due.isEmpty else { return [] }
        due = due.enumerated().sorted { ($0.element.2, $0.offset) < ($1.element.2, $1.offset) }.map(\.element)
        var totals: [String: (Currency, Int64)] = [:]
        for (s, n, _) in due { totals[s.currency.code] = (s.currency, (totals[s.currency.code]?.1 ?? 0) + n.amount.minorUnits) }
        let lines = due.map { s, n, days in
            "\(F.label(s.debt)) \(F.money(n.amount)) due \(n.date) (\(days == 0 ? "today" : "in " + F.days(days)))"
        }
        let total = totals.keys.sorted().map { F.money(totals[$0]!.1, totals[$0]!.0) }
        let (first, firstDue, _) = due[0]
        return [AdviceItem(
            code: "due-soon-unpaid", severity: .important, title: "Payments due within your reminder days are not paid yet",
            explanation: "Not yet paid: " + F.list(lines) + ". Total \(F.list(total)). Paying a day or two early leaves room for a bank transfer delay.",
            action: "vault pay \(first.id) \(firstDue.amount.decimalString)", debtIDs: due.map { $0.0.id })]
    }

    // MARK: 3. budget shortfall

    static func budgetShortfall(_ c: AdviceContext) -> [AdviceItem] {
        guard let budget = c.budget, let group = c.budgetGroup, let plan = budgetPlan(c), let month = plan.firstShortMonth else { return [] }
        let cur = budget.currency
        func name(_ i: Int) -> String { group.states.first { $0.id == plan.debts[i].id }.map { F.label($0.debt) } ?? plan.debts[i].id }
        var explanation: String
        var ids: [String] = []
        let action: String
        if month == 1 {
            explanation = "This month's payments due total \(F.money(plan.firstMonthMinimums, cur)), but \(budgetSource(c)): "
                + "\(F.money(plan.firstShortfall, cur)) short."
            if budget.isNegative { explanation += " Your expenses exceed your income by \(F.money(-budget.minorUnits, cur))." }
            let risks = plan.overdueRisks
            if let top = risks.first {
                let protect = plan.debts[top.debt].id
                ids = risks.map { plan.debts[$0.debt].id }
                explanation += " Protect \(name(top.debt)) first: missing its \(F.money(top.minimum, cur)) would cost about "
                    + "\(perDay(top.costPerDayE4, cur)) a day in penalty interest"
                    + (top.latePenalty > 0 ? " plus a late penalty of \(F.money(top.latePenalty, cur))" : "") + ", the most of your debts."
                let uncovered = risks.filter { $0.unpaid > 0 }.map { "\(plan.debts[$0.debt].id) \(F.money($0.unpaid, cur))" }
                if !uncovered.isEmpty { explanation += " Paying the costliest first, the budget leaves unpaid: \(F.list(uncovered))." }
                explanation += " For a debt you cannot cover, ask that lender for negotiated repayment (协商还款) through its own channels before the due date."
                action = "vault pay \(protect) \(Money(clamping: top.minimum, currency: cur).decimalString)"
            } else {
                action = "vault plan"
            }
        } else {
            explanation = "In \(c.calendar.label(ofMonth: month)) (month \(month) of your plan) the payments due exceed your budget by "
                + "\(F.money(plan.firstShortfall, cur)); \(budgetSource(c))."
            action = "vault plan"
        }
        return [AdviceItem(code: "budget-shortfall", severity: month == 1 ? .urgent : .important,
                           title: month == 1 ? "This month's minimum payments exceed your budget" : "A coming month's payments exceed your budget",
                           explanation: explanation, action: action, debtIDs: ids.isEmpty ? group.states.map(\.id) : ids)]
    }

    // MARK: 4. strategy

    static func strategy(_ c: AdviceContext) -> [AdviceItem] {
        guard let budget = c.budget, budget.isPositive, let group = c.budgetGroup,
              group.debts.filter(\.acceptsExtra).count >= 2 else { return [] }
        let cur = budget.currency
        let summaries = Planner.compare(PlanRequest(debts: group.debts, budget: budget.minorUnits))
        guard let av = summaries.first(where: { $0.strategy == .avalanche })?.plan,
              let sb = summaries.first(where: { $0.strategy == .snowball })?.plan,
              av.firstShortMonth == nil, sb.firstShortMonth == nil,
              let avMonths = av.debtFreeMonth, let sbMonths = sb.debtFreeMonth else { return [] }
        let interestDiff = sb.totalCharges - av.totalCharges
        let monthsDiff = sbMonths - avMonths
        let revolving = group.debts.filter { $0.acceptsExtra && !$0.isScheduled }.reduce(Int64(0)) { $0 + $1.balance }
        let small = interestDiff <= Int64((Double(revolving) * smallDifferenceShare).rounded()) && monthsDiff <= 1
        // Snowball's first payoff of a debt that avalanche clears later, within 3 months.
        var quick: (Int, Int)? = nil
        for (i, m) in sb.payoffMonths.enumerated() {
            guard let m, m <= quickPayoffMonths, (av.payoffMonths[i] ?? Int.max) > m, group.debts[i].acceptsExtra else { continue }
            if quick == nil || m < quick!.1 { quick = (i, m) }
        }
        let snowball = small && quick != nil
        func date(_ m: Int) -> String { c.calendar.date(ofMonth: m).description }
        var explanation = "With your budget of \(F.money(budget)) a month: avalanche (highest rate first) clears everything in "
            + "\(F.months(avMonths)) (by \(date(avMonths))) with \(F.money(av.totalCharges, cur)) of interest and fees; snowball (smallest balance first) takes "
            + "\(F.months(sbMonths)) (by \(date(sbMonths))) with \(F.money(sb.totalCharges, cur)). "
        if interestDiff > 0 || monthsDiff > 0 {
            explanation += "Avalanche saves \(F.money(max(0, interestDiff), cur)) and \(F.months(max(0, monthsDiff)))."
        } else if interestDiff < 0 {
            explanation += "Here snowball costs \(F.money(-interestDiff, cur)) less."
        } else {
            explanation += "Both cost the same for your debts."
        }
        let action: String
        var ids: [String] = []
        if snowball, let (i, m) = quick {
            let id = group.debts[i].id
            ids = [id]
            explanation += " The difference is small (at most 1% of your \(F.money(revolving, cur)) of card and informal balances, at most one month), and snowball "
                + "clears \(id) (\(F.money(group.debts[i].balance, cur))) in month \(m) instead of month \(av.payoffMonths[i].map(String.init) ?? "-"): "
                + "an early win that keeps you going. Recommended: snowball."
            action = "vault plan --strategy snowball"
        } else {
            if let target = group.debts.indices.filter({ group.debts[$0].acceptsExtra }).max(by: { group.debts[$0].annualScaled < group.debts[$1].annualScaled }) {
                ids = [group.debts[target].id]
                explanation += " Recommended: avalanche — put every spare amount on \(group.debts[target].id) "
                    + "(\(F.percent(F.fraction(annualScaled: group.debts[target].annualScaled))) APR) first"
                    + (quick == nil ? "; snowball would not clear any debt within \(quickPayoffMonths) months sooner." : ".")
            } else {
                explanation += " Recommended: avalanche."
            }
            action = "vault plan --strategy avalanche"
        }
        return [AdviceItem(code: "avalanche-vs-snowball", severity: .important,
                           title: snowball ? "Snowball costs little extra here and gives an early win" : "Paying the highest rate first saves you money",
                           explanation: explanation, action: action, debtIDs: ids)]
    }

    // MARK: 5. minimum-payment trap

    static func minimumPaymentTrap(_ c: AdviceContext) -> [AdviceItem] {
        var found: [(id: String, interest: Int64, text: String, action: String)] = []
        for s in c.states {
            guard case .card = s.debt.terms, s.balance.isPositive,
                  let d = PlanDebt(state: s, calendar: c.calendar) else { continue }
            let cur = s.currency
            let minimum = Planner.plan(PlanRequest(debts: [d], budget: Money.maximumMinorUnits, strategy: .minimum), recordMonths: false)
            let months = minimum.payoffMonths[0]
            guard months.map({ $0 >= minimumTrapMonths }) ?? true else { continue }
            var text = "Paying only the minimum (\(minimumRule(s.debt))) on \(F.label(s.debt)), balance \(F.money(s.balance)) at "
                + "\(F.percent(F.fraction(annualScaled: d.annualScaled))) APR, "
            if let months {
                text += "takes \(F.months(months)) and costs \(F.money(minimum.totalCharges, cur)) in interest"
            } else {
                text += "never pays it off: the minimum does not outrun the interest"
            }
            var action = "vault plan"
            if let twelve = Planner.monthlyToEnd(d, within: 12) {
                let fast = Planner.plan(PlanRequest(debts: [d], budget: twelve, strategy: .avalanche), recordMonths: false)
                text += "; \(F.money(twelve, cur)) a month clears it in 12 months for \(F.money(fast.totalCharges, cur))"
                if months != nil { text += ", saving \(F.money(max(0, minimum.totalCharges - fast.totalCharges), cur))" }
                action = "vault pay \(s.id) \(Money(clamping: twelve, currency: cur).decimalString) (and the same each month)"
            }
            found.append((s.id, months == nil ? Int64.max : minimum.totalCharges, text, action))
        }
        guard !found.isEmpty else { return [] }
        found = found.enumerated().sorted { ($1.element.interest, $0.offset) < ($0.element.interest, $1.offset) }.map(\.element)
        var explanation = found.map { $0.text }.joined(separator: ". ") + "."
        explanation += " The minimum shrinks with the balance, so most of each payment goes to interest for years."
        return [AdviceItem(code: "minimum-payment-trap", severity: .important,
                           title: "Paying only a card's minimum takes years and costs much more",
                           explanation: explanation, action: found[0].action, debtIDs: found.map(\.id))]
    }

    static func minimumRule(_ debt: Debt) -> String {
        guard case let .card(t) = debt.terms else { return "" }
        switch t.minimumPayment {
        case .percent: return "\(t.minimumPayment) of the balance"
        case .fixed: return "\(t.minimumPayment) a month"
        }
    }

    // MARK: 6. installment APR

    static func installmentAPR(_ c: AdviceContext) -> [AdviceItem] {
        // The cheapest credit the user already has: the lowest APR among open cards.
        let cards = c.states.filter { $0.debt.kind == .card }.compactMap { s in annualScaled(s.debt).map { (s.debt, $0) } }
        let cheapest = cards.min { $0.1 < $1.1 }
        var out: [AdviceItem] = []
        for s in c.states {
            guard case let .installment(t) = s.debt.terms, let cost = Finance.cost(of: s.debt), cost.apr > 0 else { continue }
            let cheaper = cheapest.map { cost.apr > F.fraction(annualScaled: $0.1) } ?? false
            guard cost.apr > line24 || cheaper else { continue }
            var explanation = "\(F.label(s.debt)): \(F.money(t.principal)) over \(F.months(t.months)) at a fee of \(t.fee) has an effective APR of "
                + "\(F.percent(cost.apr)) (EAR \(F.percent(cost.ear)))"
            if let nominal = nominal(t), nominal > 0 {
                explanation += ", \(Finance.percentString(cost.apr / nominal / 100, decimals: 1))x the \(F.percent(nominal)) it seems to be (fees are charged on the original principal while you repay it)"
            }
            explanation += "."
            if cost.apr > line36 { explanation += " That is above both regulatory lines, 24% and 36%." }
            else if cost.apr > line24 { explanation += " That is above the 24% line regulators draw for consumer credit." }
            if cheaper, let (card, apr) = cheapest {
                explanation += " It is also above your cheapest alternative, \(F.label(card)) at \(F.percent(F.fraction(annualScaled: apr))) APR."
            }
            out.append(AdviceItem(code: "installment-apr", severity: .important,
                                  title: cost.apr > line24 ? "An installment plan costs more than 24% a year" : "An installment plan costs more than your cheapest credit",
                                  explanation: explanation,
                                  action: "ask the lender what settling \(s.id) early costs, and check the next offer first: vault apr --amount \(t.principal.decimalString) --months \(t.months) \(aprOption(t))",
                                  debtIDs: [s.id]))
        }
        return out
    }

    static func nominal(_ t: InstallmentTerms) -> Double? {
        let f = t.fee.percentage.fraction
        switch t.fee.period {
        case .month: return f * 12
        case .total: return f * 12 / Double(t.months)
        case .year: return f
        case .day: return f * 365
        }
    }

    static func aprOption(_ t: InstallmentTerms) -> String {
        switch t.fee.period {
        case .total: return "--total-fee \(t.fee.percentage)"
        case .month: return "--monthly-fee \(t.fee.percentage)"
        case .year, .day:
            let monthly = Percentage(scaled: (t.fee.annualScaled ?? 0) / 12) ?? .zero
            return "--monthly-fee \(monthly)"
        }
    }

    // MARK: 7. high cost

    static func highCost(_ c: AdviceContext) -> [AdviceItem] {
        var found: [(DebtState, Int64)] = []
        for s in c.states where s.debt.kind != .installment {
            guard let a = annualScaled(s.debt), F.fraction(annualScaled: a) > line24 else { continue }
            found.append((s, a))
        }
        found = found.enumerated().sorted { ($1.element.1, $0.offset) < ($0.element.1, $1.offset) }.map(\.element)
        return found.map { s, a in
            let apr = F.fraction(annualScaled: a)
            var rateText = "\(F.percent(apr)) APR"
            if case .card = s.debt.terms {
                let daily = s.debt.dailyRate ?? Debt.defaultCardDailyRate
                rateText = "\(daily) = \(F.percent(apr)) APR"
                if let ear = daily.effectiveAnnualFraction { rateText += " (\(F.percent(ear)) compounded)" }
            }
            let monthly = ExactMath.mulDivRoundHalfUp(s.balance.minorUnits, a, Percentage.unitsPerOne * 12) ?? 0
            var explanation = "\(F.label(s.debt)) charges \(rateText) on \(F.money(s.balance)): about \(F.money(monthly, s.currency)) of interest a month. "
            if apr > line36 {
                explanation += "That is above 36%, the line of the 2017 cash-loan rules, and above the 24% consumer-credit line; courts protect private lending only up to 4x the one-year LPR."
            } else {
                explanation += "That is above 24%, the line regulators draw for consumer credit (over 24% is to be prohibited from 2026)."
            }
            explanation += " Pay it down first, and ask a bank about refinancing at a lower rate."
            return AdviceItem(code: "high-cost", severity: .important,
                              title: apr > line36 ? "A debt costs more than 36% a year" : "A debt costs more than 24% a year",
                              explanation: explanation, action: "vault plan --strategy avalanche", debtIDs: [s.id])
        }
    }

    // MARK: 8. promo ending

    static func promoEnding(_ c: AdviceContext) -> [AdviceItem] {
        var out: [AdviceItem] = []
        for s in c.states {
            guard let promo = s.debt.promoUntil, promo >= c.today, c.today.days(until: promo) <= promoWindowDays, s.balance.isPositive else { continue }
            var payments = 0
            while payments < 3 && c.calendar.date(ofMonth: payments + 1) <= promo { payments += 1 }
            let cur = s.currency
            let perMonth = F.ceilDiv(s.balance.minorUnits, Int64(max(1, payments)))
            var explanation = "The 0% promotional period of \(F.label(s.debt)) ends on \(promo), in \(F.days(c.today.days(until: promo))), with \(F.money(s.balance)) still owed. "
            if payments <= 1 {
                explanation += "Paying \(F.money(s.balance)) by \(promo) clears it before interest starts."
            } else {
                explanation += "Paying \(F.money(perMonth, cur)) a month for \(payments) months (on your payment days up to \(promo)) clears it in time."
            }
            if let a = annualScaled(s.debt), a > 0 {
                let monthly = ExactMath.mulDivRoundHalfUp(s.balance.minorUnits, a, Percentage.unitsPerOne * 12) ?? 0
                explanation += " After that, \(F.percent(F.fraction(annualScaled: a))) APR applies: about \(F.money(monthly, cur)) a month on this balance."
            }
            out.append(AdviceItem(code: "promo-ending", severity: .important, title: "A 0% promotional period ends soon with a balance left",
                                  explanation: explanation,
                                  action: "vault pay \(s.id) \(Money(clamping: payments <= 1 ? s.balance.minorUnits : perMonth, currency: cur).decimalString)",
                                  debtIDs: [s.id]))
        }
        return out
    }

    // MARK: 9. debt-to-income

    static func debtToIncome(_ c: AdviceContext) -> [AdviceItem] {
        guard let income = c.income, income.isPositive else { return [] }
        let parts = c.states.filter { $0.currency == income.currency }.map { ($0, regularMonthlyPayment($0)) }.filter { $0.1 > 0 }
            .enumerated().sorted { ($1.element.1, $0.offset) < ($0.element.1, $1.offset) }.map(\.element)
        let total = parts.reduce(Int64(0)) { $0 + $1.1 }
        let ratio = Double(total) / Double(income.minorUnits)
        guard ratio > dtiWarning else { return [] }
        let cur = income.currency
        let shown = parts.prefix(4).map { "\($0.0.id) \(F.money($0.1, cur))" } + (parts.count > 4 ? ["\(parts.count - 4) more"] : [])
        var explanation = "Your regular monthly debt payments are \(F.money(total, cur)) (\(F.list(shown))) against a monthly income of \(F.money(income)): "
            + "\(F.percent(ratio, decimals: 1)) of income. "
        if ratio > dtiDanger {
            explanation += "Above 50% one surprise expense means a missed payment; lenders treat this as overextended."
        } else {
            explanation += "Above 36% lenders consider the load stretched and the room for savings thin."
        }
        let target = Int64((Double(income.minorUnits) * dtiWarning).rounded(.down))
        explanation += " To get under 36% the payments must fall below \(F.money(target, cur)) a month: take no new credit or installment offers until then."
        return [AdviceItem(code: "debt-to-income", severity: ratio > dtiDanger ? .urgent : .important,
                           title: ratio > dtiDanger ? "Debt payments take more than half of your income" : "Debt payments take more than 36% of your income",
                           explanation: explanation, action: "vault plan --compare", debtIDs: parts.map { $0.0.id })]
    }

    // MARK: 10. personal patterns

    /// Lines of `s` due in the 12 months before `today` that were paid (by a payment) and settled.
    static func recentSettled(_ s: DebtState, _ today: CivilDate) -> [ScheduleEntry] {
        let start = today.adding(months: -12) ?? today
        return s.schedule.filter { e in
            guard let on = e.settledOn, e.paid.isPositive else { return false }
            return e.line.effectiveDueDate > start && e.line.effectiveDueDate <= today && on <= today
        }
    }

    static func latePattern(_ c: AdviceContext) -> [AdviceItem] {
        var out: [AdviceItem] = []
        for s in c.states {
            let late = recentSettled(s, c.today).filter { $0.settledOn! > $0.line.effectiveDueDate }
            guard late.count >= latePatternCount else { continue }
            let months = late.map { e in "\(F.month(e.line.effectiveDueDate)) (due \(e.line.effectiveDueDate), paid \(e.settledOn!))" }
            let lead = s.debt.leadDays
            let earlier = (Set(lead + [7, 3, 1, 0])).sorted(by: >).map(String.init).joined(separator: ",")
            out.append(AdviceItem(
                code: "late-payment-pattern", severity: .important, title: "A debt has been paid after its due date more than once this year",
                explanation: "\(F.label(s.debt)) was paid after its due date \(late.count) times in the last 12 months: \(F.list(months)). "
                    + "Your reminders come \(lead.map(String.init).joined(separator: ", ")) days before. An earlier first reminder, or autopay from your "
                    + "salary account set up with the lender, stops a late payment from turning into penalty interest and a credit-report entry.",
                action: "vault edit \(s.id) --lead-days \(earlier)", debtIDs: [s.id]))
        }
        return out
    }

    static func lastDayPayer(_ c: AdviceContext) -> [AdviceItem] {
        guard let payday = c.document.settings.payday else { return [] }
        var all: [(DebtState, ScheduleEntry)] = []
        for s in c.states { all += recentSettled(s, c.today).map { (s, $0) } }
        let onDay = all.filter { $0.1.settledOn! == $0.1.line.effectiveDueDate }
        guard onDay.count >= lastDayCount, onDay.count * 2 >= all.count else { return [] }
        let examples = onDay.suffix(3).map { "\($0.0.id) on \($0.1.settledOn!)" }
        var ids: [String] = []
        for (s, _) in onDay where !ids.contains(s.id) { ids.append(s.id) }
        return [AdviceItem(
            code: "last-day-payer", severity: .tip, title: "You usually pay on the last possible day",
            explanation: "\(onDay.count) of your \(all.count) repayments in the last 12 months were made on the due date itself (e.g. \(F.list(examples))). "
                + "A bank delay or a busy day then makes them late. Your income arrives on day \(payday) of the month: paying then leaves no gap.",
            action: "pay each bill on day \(payday), when your income arrives; 'vault remind --days 31' lists what is due in the month",
            debtIDs: ids)]
    }

    // MARK: 11. quick win

    static func quickWin(_ c: AdviceContext) -> [AdviceItem] {
        guard let budget = c.budget, budget.isPositive, let group = c.budgetGroup, let plan = budgetPlan(c), plan.firstShortMonth != 1 else { return [] }
        let surplus = budget.minorUnits - plan.firstMonthMinimums
        guard surplus > 0 else { return [] }
        let cur = budget.currency
        let candidates = group.debts.enumerated().filter { $0.element.acceptsExtra && $0.element.balance <= surplus }
        guard group.debts.count >= 2, let pick = candidates.min(by: { ($0.element.balance, $0.offset) < ($1.element.balance, $1.offset) }) else { return [] }
        let d = pick.element
        let label = group.states.first { $0.id == d.id }.map { F.label($0.debt) } ?? d.id
        return [AdviceItem(
            code: "quick-win", severity: .tip, title: "One balance can be cleared with this month's surplus",
            explanation: "Your budget of \(F.money(budget)) leaves \(F.money(surplus, cur)) after this month's payments due (\(F.money(plan.firstMonthMinimums, cur))). "
                + "\(label) has \(F.money(d.balance, cur)) left: clearing it now removes one due date and one thing to remember.",
            action: "vault pay \(d.id) \(Money(clamping: d.balance, currency: cur).decimalString)", debtIDs: [d.id])]
    }
}
