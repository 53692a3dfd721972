import Testing
import DebtModel
@testable import DebtEngine

/// `vault advice`'s rules (issue 6): each rule with a vault that triggers it and one that does not,
/// checking the code, the rank (severity and position) and the numbers quoted.
@Suite("Advice: rules, ranks and the numbers quoted")
struct AdviceTests {
    static let today = "2026-06-15"

    // MARK: builders

    func cardDebt(_ id: String, balance: String, statement: String, dueDay: Int, rule: MinimumPaymentRule = .default,
                  daily: String? = nil, name: String? = nil) -> Debt {
        let s = date(statement)
        var d = Debt(id: id, name: name ?? "Lender \(id.uppercased())",
                     terms: .card(CardTerms(statementDay: s.day, dueDay: dueDay, statementBalance: cny(balance), statementDate: s, minimumPayment: rule)),
                     createdDate: s)
        if let daily { d.dailyRate = rate(daily) }
        return d
    }

    func installmentDebt(_ id: String, principal: String, months: Int, fee: String, first: String) -> Debt {
        Debt(id: id, name: "Shop \(id)", terms: .installment(InstallmentTerms(principal: cny(principal), months: months, fee: rate(fee), firstDueDate: date(first))),
             createdDate: date("2026-01-01"))
    }

    func doc(_ debts: [Debt], income: String? = nil, expenses: String? = nil, payday: Int? = nil) -> VaultDocument {
        var d = VaultDocument()
        for debt in debts { try! d.addDebt(debt) }
        if income != nil || payday != nil {
            try! d.updateSettings(Settings(monthlyIncome: income.map(cny), monthlyExpenses: expenses.map(cny), payday: payday))
        }
        return d
    }

    func advise(_ d: VaultDocument, _ today: String = AdviceTests.today) -> [AdviceItem] {
        AdviceEngine.advise(document: d, asOf: date(today))
    }

    func item(_ items: [AdviceItem], _ code: String) -> AdviceItem? { items.first { $0.code == code } }
    func codes(_ items: [AdviceItem]) -> [String] { items.map(\.code) }

    /// Every list is ranked urgent, important, tip, and ends with the tip of the day.
    func checkRanked(_ items: [AdviceItem], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(items.map(\.severity) == items.map(\.severity).sorted(), "not ranked: \(codes(items))", sourceLocation: sourceLocation)
        #expect(items.last?.code == "tip-of-the-day", sourceLocation: sourceLocation)
    }

    // MARK: 1. overdue

    @Test func overduePaysTheCostliestPerDayFirstWithNegotiationAndScamWarning() throws {
        // a: due 2026-05-20, 500.00 minimum unpaid: 26 days overdue, 500 x 0.05% x 1.5 = 0.375 a day.
        // b: due 2026-06-05, 100.00 unpaid: 10 days, 0.075 a day.
        let d = doc([cardDebt("b", balance: "1000", statement: "2026-05-15", dueDay: 5),
                     cardDebt("a", balance: "5000", statement: "2026-05-01", dueDay: 20)])
        let items = advise(d)
        checkRanked(items)
        let o = try #require(item(items, "overdue-pay-first"))
        #expect(items.first == o)
        #expect(o.severity == .urgent)
        #expect(o.debtIDs == ["a", "b"], "the costliest per day first")
        #expect(o.explanation.contains("a (Lender A) is 26 days overdue: 500.00 CNY unpaid since 2026-05-20"), "\(o.explanation)")
        #expect(o.explanation.contains("about 0.38 CNY a day in penalty interest (9.75 CNY so far) plus a late penalty (违约金) of 25.00 CNY"), "\(o.explanation)")
        #expect(o.explanation.contains("b (Lender B) is 10 days overdue: 100.00 CNY"), "\(o.explanation)")
        #expect(o.explanation.contains("grace period ended on 2026-05-23"), "\(o.explanation)")
        #expect(o.explanation.contains("征信") && o.explanation.contains("5 years"))
        #expect(o.explanation.contains("Pay a first"), "\(o.explanation)")
        #expect(o.explanation.contains("协商还款") && o.explanation.contains("own app, website or hotline"))
        #expect(o.explanation.contains("\"debt negotiation agents\"") && o.explanation.contains("scam"))
        #expect(o.action == "vault pay a 500.00")
        #expect(o.title == "Overdue debts: pay the one that costs most per day first")

        // Paid on time: no overdue advice.
        var paid = doc([cardDebt("b", balance: "1000", statement: "2026-05-15", dueDay: 5)])
        try paid.addPayment(debtID: "b", date: date("2026-06-04"), amount: cny("100"))
        #expect(item(advise(paid), "overdue-pay-first") == nil)
    }

    // MARK: 2. in grace, due soon

    @Test func inGraceSaysPayByAndDueSoonListsUnpaidWithinLeadDays() throws {
        let d = doc([cardDebt("g", balance: "2000", statement: "2026-05-25", dueDay: 13),
                     loan("60000", "6%", months: 12, first: "2026-06-17", method: .equalPrincipal)])
        let items = advise(d)
        checkRanked(items)
        let g = try #require(item(items, "in-grace-pay-by"))
        #expect(g.severity == .urgent && g.debtIDs == ["g"])
        #expect(g.explanation.contains("200.00 CNY was due on 2026-06-13, 2 days ago"), "\(g.explanation)")
        #expect(g.explanation.contains("paid by 2026-06-16 it counts as on time; from 2026-06-17"), "\(g.explanation)")
        #expect(g.action == "vault pay g 200.00")
        let s = try #require(item(items, "due-soon-unpaid"))
        #expect(s.severity == .important && s.debtIDs == ["loan1"])
        // 60,000 equal principal at 6%: 5,000.00 + 300.00 interest.
        #expect(s.explanation.contains("loan1 (Bank) 5,300.00 CNY due 2026-06-17 (in 2 days)"), "\(s.explanation)")
        #expect(s.action == "vault pay loan1 5300.00")
        #expect(items.firstIndex(of: g)! < items.firstIndex(of: s)!)

        // Five days ahead is outside the default lead days (3, 1, 0); paid amounts are silent.
        #expect(item(advise(d, "2026-06-12"), "due-soon-unpaid")?.debtIDs == ["g"], "the loan, 5 days away, is not mentioned")
        var paid = d
        try paid.addPayment(debtID: "loan1", date: date("2026-06-14"), amount: cny("5300"))
        try paid.addPayment(debtID: "g", date: date("2026-06-14"), amount: cny("200"))
        let after = advise(paid)
        #expect(item(after, "due-soon-unpaid") == nil && item(after, "in-grace-pay-by") == nil, "\(codes(after))")
        // A debt with a 7-day lead is mentioned a week ahead.
        var early = loan("60000", "6%", months: 12, first: "2026-06-17", method: .equalPrincipal)
        early.leadDays = [7, 1]
        #expect(item(advise(doc([early]), "2026-06-10"), "due-soon-unpaid") != nil)
    }

    // MARK: 3. budget shortfall

    @Test func budgetShortfallSaysByHowMuchAndWhichDebtToProtect() throws {
        // Budget 3,000 - 500 = 2,500 against the loan's 11,200.00 line and a card's minimum.
        let d = doc([loan("120000", "12%", months: 12, first: "2026-06-20", method: .equalPrincipal),
                     cardDebt("c", balance: "3000", statement: "2026-06-01", dueDay: 25)],
                    income: "3000", expenses: "500")
        let items = advise(d)
        checkRanked(items)
        let b = try #require(item(items, "budget-shortfall"))
        #expect(b.severity == .urgent)
        // The plan engine's month 1: the loan's 11,200.00 line and the card's 10% of 3,045.62 (3,000 + 45.62 interest) = 304.56.
        #expect(b.explanation.contains("This month's payments due total 11,504.56 CNY"), "\(b.explanation)")
        #expect(b.explanation.contains("income of 3,000.00 CNY minus fixed expenses of 500.00 CNY leaves 2,500.00 CNY a month for debts: 9,004.56 CNY short"), "\(b.explanation)")
        #expect(b.explanation.contains("the budget leaves unpaid: loan1 8,700.00 CNY and c 304.56 CNY"), "\(b.explanation)")
        // The plan engine's ranking: the loan's missed line costs 11,200 x 12%/365 x 1.5 = 5.52 a day.
        #expect(b.explanation.contains("Protect loan1 (Bank) first: missing its 11,200.00 CNY would cost about 5.52 CNY a day"), "\(b.explanation)")
        #expect(b.debtIDs.first == "loan1")
        #expect(b.action == "vault pay loan1 11200.00")

        let enough = doc([loan("120000", "12%", months: 12, first: "2026-06-20", method: .equalPrincipal)], income: "20000", expenses: "500")
        #expect(item(advise(enough), "budget-shortfall") == nil)
        let none = doc([loan("120000", "12%", months: 12, first: "2026-06-20", method: .equalPrincipal)])
        #expect(item(advise(none), "budget-shortfall") == nil, "no budget stored, nothing to compare")
    }

    // MARK: 4. avalanche versus snowball

    /// domain.md's three debts as cards with fixed minimums (daily rates as in PlanCommandTests), budget 800.
    func threeDebts(extra: [Debt] = []) -> VaultDocument {
        doc([cardDebt("a", balance: "3000", statement: "2026-12-01", dueDay: 20, rule: .fixed(cny("90")), daily: "0.06575343%/day"),
             cardDebt("b", balance: "1500", statement: "2026-12-01", dueDay: 20, rule: .fixed(cny("150")), daily: "0.05%/day"),
             cardDebt("c", balance: "10000", statement: "2026-12-01", dueDay: 20, rule: .fixed(cny("300")), daily: "0.03287672%/day")] + extra,
            income: "800")
    }

    @Test func strategyQuotesThePlanEngineAndRecommendsAvalanche() throws {
        let items = advise(threeDebts(), "2026-12-01")
        checkRanked(items)
        let s = try #require(item(items, "avalanche-vs-snowball"))
        #expect(s.severity == .important)
        #expect(s.explanation.contains("avalanche (highest rate first) clears everything in 21 months (by 2028-08-01) with 1,826.38 CNY"), "\(s.explanation)")
        #expect(s.explanation.contains("snowball (smallest balance first) takes 21 months (by 2028-08-01) with 1,857.71 CNY"), "\(s.explanation)")
        #expect(s.explanation.contains("Avalanche saves 31.33 CNY and 0 months"), "\(s.explanation)")
        #expect(s.explanation.contains("Recommended: avalanche") && s.explanation.contains("on a (24.00% APR) first"), "\(s.explanation)")
        #expect(s.action == "vault plan --strategy avalanche")
        #expect(s.debtIDs == ["a"])
        // The same numbers as the plan engine itself.
        let inputs = VaultPlanInputs(states: DebtCalculator.states(of: threeDebts(), asOf: date("2026-12-01")), calendar: PlanCalendar(today: date("2026-12-01")))
        let av = Planner.plan(PlanRequest(debts: inputs.groups[0].debts, budget: 80_000, strategy: .avalanche))
        #expect(av.totalCharges == 182_638)
    }

    @Test func strategyRecommendsSnowballWhenTheDifferenceIsSmallAndADebtClearsWithinThreeMonths() throws {
        // A 250.00 balance at 18.25%: snowball clears it in month 1, avalanche (a first) much later.
        let small = cardDebt("s", balance: "250", statement: "2026-12-01", dueDay: 20, rule: .fixed(cny("25")), daily: "0.05%/day")
        let items = advise(threeDebts(extra: [small]), "2026-12-01")
        let s = try #require(item(items, "avalanche-vs-snowball"))
        #expect(s.explanation.contains("Recommended: snowball"), "\(s.explanation)")
        #expect(s.explanation.contains("snowball clears s (250.00 CNY) in month 1"), "\(s.explanation)")
        #expect(s.action == "vault plan --strategy snowball")
        #expect(s.debtIDs == ["s"])

        // One debt that takes extra: nothing to compare. No budget: nothing either.
        let one = doc([cardDebt("a", balance: "3000", statement: "2026-12-01", dueDay: 20, rule: .fixed(cny("90")))], income: "800")
        #expect(item(advise(one, "2026-12-01"), "avalanche-vs-snowball") == nil)
        var noBudget = threeDebts()
        try noBudget.updateSettings(Settings())
        #expect(item(advise(noBudget, "2026-12-01"), "avalanche-vs-snowball") == nil)
    }

    // MARK: 5. minimum-payment trap

    @Test func minimumPaymentTrapQuotesMonthsAndInterestFromThePlanEngine() throws {
        let card = cardDebt("m", balance: "5000", statement: "2026-06-01", dueDay: 25)
        let d = doc([card])
        let items = advise(d)
        let m = try #require(item(items, "minimum-payment-trap"))
        #expect(m.severity == .important && m.debtIDs == ["m"])
        let state = DebtCalculator.states(of: d, asOf: date(Self.today))[0]
        let pd = try #require(PlanDebt(state: state, calendar: PlanCalendar(today: date(Self.today))))
        let minimum = Planner.plan(PlanRequest(debts: [pd], budget: Money.maximumMinorUnits, strategy: .minimum))
        let months = try #require(minimum.payoffMonths[0])
        #expect(months >= 12)
        let interest = Money(clamping: minimum.totalCharges, currency: .cny).groupedString
        #expect(m.explanation.contains("Paying only the minimum (10% of the balance) on m (Lender M), balance 5,000.00 CNY at 18.25% APR, takes \(months) months and costs \(interest) CNY in interest"), "\(m.explanation)")
        let twelve = try #require(Planner.monthlyToEnd(pd, within: 12))
        #expect(m.action == "vault pay m \(Money(clamping: twelve, currency: .cny).decimalString) (and the same each month)")

        // A card whose minimum is the whole balance: no trap.
        let full = doc([cardDebt("f", balance: "5000", statement: "2026-06-01", dueDay: 25, rule: .percent(Percentage(basisPoints: 10000), floor: nil))])
        #expect(item(advise(full), "minimum-payment-trap") == nil)
    }

    // MARK: 6. installment APR

    @Test func installmentAboveTheLinesOrAboveTheCheapestAlternative() throws {
        // 10,000 over 12 months at 2.5%/month: far above 36%.
        let costly = installmentDebt("i", principal: "10000", months: 12, fee: "2.5%/month", first: "2026-07-10")
        let cost = try #require(Finance.cost(of: costly))
        let items = advise(doc([costly]))
        let i = try #require(item(items, "installment-apr"))
        #expect(i.severity == .important && i.debtIDs == ["i"])
        #expect(i.explanation.contains("effective APR of \(Finance.percentString(cost.apr))% (EAR \(Finance.percentString(cost.ear))%)"), "\(i.explanation)")
        #expect(cost.apr > 0.36)
        #expect(i.explanation.contains("above both regulatory lines, 24% and 36%"), "\(i.explanation)")
        #expect(i.explanation.contains("the 30.00% it seems to be"), "\(i.explanation)")
        #expect(i.title == "An installment plan costs more than 24% a year")
        #expect(item(items, "high-cost") == nil, "installments are judged by the installment rule")

        // 0.6%/month (13.03% APR) beside a card at 0.03%/day (10.95% APR): above the cheapest alternative.
        let phone = installmentDebt("p", principal: "10000", months: 12, fee: "0.6%/month", first: "2026-07-10")
        let cheapCard = cardDebt("k", balance: "1000", statement: "2026-06-01", dueDay: 25, rule: .fixed(cny("1000")), daily: "0.03%/day")
        let alt = try #require(item(advise(doc([phone, cheapCard])), "installment-apr"))
        #expect(alt.explanation.contains("effective APR of 13.03% (EAR 13.84%)"), "\(alt.explanation)")
        #expect(alt.explanation.contains("above your cheapest alternative, k (Lender K) at 10.95% APR"), "\(alt.explanation)")
        #expect(alt.title == "An installment plan costs more than your cheapest credit")
        #expect(alt.action == "ask the lender what settling p early costs, and check the next offer first: vault apr --amount 10000.00 --months 12 --monthly-fee 0.6%")

        // The same offer beside a 0.05%/day card (18.25%), or alone: nothing to say.
        let normalCard = cardDebt("k", balance: "1000", statement: "2026-06-01", dueDay: 25, rule: .fixed(cny("1000")))
        #expect(item(advise(doc([phone, normalCard])), "installment-apr") == nil)
        #expect(item(advise(doc([phone])), "installment-apr") == nil)
    }

    // MARK: 7. high cost

    @Test func highCostAbove24And36Percent() throws {
        var l30 = loan("10000", "30%", months: 12, first: "2026-07-10", method: .equalInstallment, id: "l30")
        l30.name = "Fast Credit"
        let l40 = loan("10000", "40%", months: 12, first: "2026-07-10", method: .equalInstallment, id: "l40")
        let items = advise(doc([l30, l40]))
        checkRanked(items)
        let high = items.filter { $0.code == "high-cost" }
        #expect(high.map(\.debtIDs) == [["l40"], ["l30"]], "highest rate first")
        #expect(high.allSatisfy { $0.severity == .important })
        #expect(high[0].title == "A debt costs more than 36% a year")
        #expect(high[1].title == "A debt costs more than 24% a year")
        #expect(high[1].explanation.contains("l30 (Fast Credit) charges 30.00% APR on 10,000.00 CNY: about 250.00 CNY of interest a month"), "\(high[1].explanation)")
        #expect(high[0].explanation.contains("above 36%"))
        // A card at 0.1%/day is 36.50% APR.
        let card = cardDebt("hc", balance: "2000", statement: "2026-06-01", dueDay: 25, daily: "0.1%/day")
        let c = try #require(item(advise(doc([card])), "high-cost"))
        #expect(c.explanation.contains("0.1%/day = 36.50% APR"), "\(c.explanation)")

        #expect(item(advise(doc([loan("10000", "12%", months: 12, first: "2026-07-10", method: .equalInstallment)])), "high-cost") == nil)
        #expect(item(advise(doc([cardDebt("n", balance: "2000", statement: "2026-06-01", dueDay: 25)])), "high-cost") == nil, "18.25% is below 24%")
    }

    // MARK: 8. promo ending

    @Test func promoEndingWithinSixtyDaysSaysTheMonthlyAmount() throws {
        var card = cardDebt("pr", balance: "3000", statement: "2026-06-01", dueDay: 25, rule: .fixed(cny("3000")))
        card.promoUntil = date("2026-07-31")
        let items = advise(doc([card]))
        let p = try #require(item(items, "promo-ending"))
        #expect(p.severity == .important && p.debtIDs == ["pr"])
        // Payment days 2026-06-15 and 2026-07-15 fall before 2026-07-31: 1,500.00 each.
        #expect(p.explanation.contains("ends on 2026-07-31, in 46 days, with 3,000.00 CNY still owed"), "\(p.explanation)")
        #expect(p.explanation.contains("Paying 1,500.00 CNY a month for 2 months"), "\(p.explanation)")
        #expect(p.explanation.contains("18.25% APR applies: about 45.63 CNY a month"), "\(p.explanation)")
        #expect(p.action == "vault pay pr 1500.00")

        var later = card
        later.promoUntil = date("2026-09-30")
        #expect(item(advise(doc([later])), "promo-ending") == nil, "107 days away")
        var past = card
        past.promoUntil = date("2026-06-01")
        #expect(item(advise(doc([past])), "promo-ending") == nil)
    }

    // MARK: 9. debt-to-income

    @Test func debtToIncomeAbove36And50Percent() throws {
        // 100,000 equal principal at 12%: the next line is 8,333.33 + 1,000.00 = 9,333.33.
        let l = loan("100000", "12%", months: 12, first: "2026-06-20", method: .equalPrincipal)
        let danger = try #require(item(advise(doc([l], income: "15000", expenses: "0")), "debt-to-income"))
        #expect(danger.severity == .urgent)
        #expect(danger.explanation.contains("9,333.33 CNY (loan1 9,333.33 CNY) against a monthly income of 15,000.00 CNY: 62.2% of income"), "\(danger.explanation)")
        #expect(danger.explanation.contains("below 5,400.00 CNY a month"), "\(danger.explanation)")
        #expect(danger.title == "Debt payments take more than half of your income")
        let warning = try #require(item(advise(doc([l], income: "20000", expenses: "0")), "debt-to-income"))
        #expect(warning.severity == .important)
        #expect(warning.explanation.contains("46.7% of income"), "\(warning.explanation)")
        #expect(warning.title == "Debt payments take more than 36% of your income")
        #expect(item(advise(doc([l], income: "30000")), "debt-to-income") == nil, "31.1%")
        #expect(item(advise(doc([l])), "debt-to-income") == nil, "no income stored")
    }

    // MARK: 10. personal patterns

    /// 120,000 equal principal at 12% from 2026-01-10: lines of 11,200, 11,100, 11,000, 10,900, 10,800, ...
    func historyVault(_ dates: [String], payday: Int? = nil) -> VaultDocument {
        var d = doc([loan("120000", "12%", months: 12, first: "2026-01-10", method: .equalPrincipal)], payday: payday)
        let amounts = ["11200", "11100", "11000", "10900", "10800"]
        for (k, day) in dates.enumerated() { try! d.addPayment(debtID: "loan1", date: date(day), amount: cny(amounts[k])) }
        return d
    }

    @Test func latePaymentsTwiceInTwelveMonthsSuggestAnEarlierLeadDay() throws {
        let d = historyVault(["2026-01-12", "2026-02-09", "2026-03-13", "2026-04-08", "2026-05-07"])
        let items = advise(d)
        let l = try #require(item(items, "late-payment-pattern"))
        #expect(l.severity == .important && l.debtIDs == ["loan1"])
        #expect(l.explanation.contains("paid after its due date 2 times in the last 12 months: 2026-01 (due 2026-01-10, paid 2026-01-12) and 2026-03 (due 2026-03-10, paid 2026-03-13)"), "\(l.explanation)")
        #expect(l.action == "vault edit loan1 --lead-days 7,3,1,0")
        // Once late is not a pattern.
        #expect(item(advise(historyVault(["2026-01-12", "2026-02-09", "2026-03-09", "2026-04-08", "2026-05-07"])), "late-payment-pattern") == nil)
        // Late payments more than 12 months ago do not count.
        #expect(item(advise(d, "2027-04-01"), "late-payment-pattern") == nil)
    }

    @Test func payingOnTheLastDaySuggestsPayday() throws {
        let onTheDay = ["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10"]
        let t = try #require(item(advise(historyVault(onTheDay, payday: 5)), "last-day-payer"))
        #expect(t.severity == .tip && t.debtIDs == ["loan1"])
        #expect(t.explanation.contains("5 of your 5 repayments in the last 12 months were made on the due date itself"), "\(t.explanation)")
        #expect(t.explanation.contains("loan1 on 2026-05-10") && t.explanation.contains("day 5 of the month"), "\(t.explanation)")
        #expect(t.action.hasPrefix("pay each bill on day 5"))
        #expect(item(advise(historyVault(onTheDay)), "last-day-payer") == nil, "no payday stored")
        #expect(item(advise(historyVault(["2026-01-05", "2026-02-05", "2026-03-10", "2026-04-05", "2026-05-05"], payday: 5)), "last-day-payer") == nil)
    }

    // MARK: 11. quick win

    @Test func quickWinFitsInThisMonthsSurplus() throws {
        let debts = [cardDebt("big", balance: "5000", statement: "2026-06-01", dueDay: 25),
                     cardDebt("small", balance: "300", statement: "2026-06-01", dueDay: 25)]
        let q = try #require(item(advise(doc(debts, income: "2000", expenses: "500")), "quick-win"))
        #expect(q.severity == .tip && q.debtIDs == ["small"])
        // The plan engine's month 1: interest first (5,000 x 18.25% / 12 = 76.04; 300 -> 4.56), then 10% minimums
        // 507.60 + 30.46 = 538.06; 1,500.00 - 538.06 = 961.94 left.
        #expect(q.explanation.contains("Your budget of 1,500.00 CNY leaves 961.94 CNY after this month's payments due (538.06 CNY)"), "\(q.explanation)")
        #expect(q.explanation.contains("small (Lender SMALL) has 300.00 CNY left"), "\(q.explanation)")
        #expect(q.action == "vault pay small 300.00")
        #expect(item(advise(doc(debts, income: "800", expenses: "0")), "quick-win") == nil, "270.00 left is not enough")
        #expect(item(advise(doc(debts)), "quick-win") == nil, "no budget")
    }

    // MARK: 12. tips, empty and quiet vaults, titles

    @Test func tipOfTheDayIsDeterministicAndNeverRepeatsOnConsecutiveDays() {
        #expect(AdviceTips.all.count >= 24)
        #expect(Set(AdviceTips.all.map(\.title)).count == AdviceTips.all.count)
        var day = date("2026-01-01")
        var seen = Set<Int>()
        for _ in 0..<800 {
            let next = day.adding(days: 1)!
            #expect(AdviceTips.index(for: day) != AdviceTips.index(for: next), "\(day)")
            #expect(AdviceTips.tipOfTheDay(day) == AdviceTips.tipOfTheDay(day))
            seen.insert(AdviceTips.index(for: day))
            day = next
        }
        #expect(seen.count == AdviceTips.all.count, "every tip comes round")
        let d = doc([loan("10000", "5%", months: 12, first: "2026-08-10", method: .equalInstallment)])
        #expect(advise(d, "2026-06-15").last == AdviceTips.tipOfTheDay(date("2026-06-15")))
        #expect(advise(d, "2026-06-15").last != advise(d, "2026-06-16").last)
    }

    @Test func emptyAndQuietVaults() throws {
        #expect(advise(VaultDocument()).isEmpty)
        // A cheap loan not due for weeks, no budget: only the tip of the day.
        let quiet = advise(doc([loan("10000", "5%", months: 12, first: "2026-08-10", method: .equalInstallment)]))
        #expect(codes(quiet) == ["tip-of-the-day"])
        // Closed and paid-off debts say nothing.
        var closed = doc([cardDebt("a", balance: "5000", statement: "2026-05-01", dueDay: 20)])
        try closed.closeDebt(id: "a", on: date("2026-06-01"))
        #expect(advise(closed).isEmpty)
    }

    @Test func titlesAreGenericAndTheListIsRanked() throws {
        var promo = cardDebt("pr", balance: "3000", statement: "2026-06-01", dueDay: 25, name: "招商银行 Canary Bank")
        promo.promoUntil = date("2026-07-31")
        var d = doc([cardDebt("ovd", balance: "5000", statement: "2026-05-01", dueDay: 20, name: "Secret Lender 7421"),
                     cardDebt("grc", balance: "2000", statement: "2026-05-25", dueDay: 13),
                     loan("120000", "30%", months: 12, first: "2026-01-10", method: .equalPrincipal),
                     installmentDebt("inst", principal: "10000", months: 12, fee: "2.5%/month", first: "2026-07-10"),
                     cardDebt("small", balance: "300", statement: "2026-06-01", dueDay: 25), promo],
                    income: "3000", expenses: "500", payday: 5)
        // 120,000 equal principal at 30%: 13,000.00 then 12,750.00, both paid late.
        for (k, day) in ["2026-01-12", "2026-02-13"].enumerated() {
            try d.addPayment(debtID: "loan1", date: date(day), amount: cny(["13000", "12750"][k]))
        }
        let items = advise(d)
        checkRanked(items)
        #expect(Set(codes(items)).isSuperset(of: ["overdue-pay-first", "in-grace-pay-by", "budget-shortfall", "high-cost", "installment-apr",
                                                   "promo-ending", "minimum-payment-trap", "late-payment-pattern", "debt-to-income", "tip-of-the-day"]),
                "\(codes(items))")
        for item in items {
            #expect(!item.title.contains("\n"))
            for debt in d.debts {
                let words = item.title.split { !$0.isLetter && !$0.isNumber }.map(String.init)
                #expect(!words.contains(debt.id), "title names \(debt.id): \(item.title)")
                #expect(!item.title.contains(debt.name), "title names a lender: \(item.title)")
            }
            #expect(["", "0", "24", "36"].contains(String(item.title.filter(\.isNumber))), "a figure in a title: \(item.title)")
            #expect(!item.action.isEmpty && !item.explanation.isEmpty)
            #expect(AdviceEngine.ruleCodes.contains(item.code))
        }
        // Rule order within a severity.
        let urgent = codes(items.filter { $0.severity == .urgent })
        #expect(urgent.prefix(3) == ["overdue-pay-first", "in-grace-pay-by", "budget-shortfall"], "\(urgent)")
    }
}
