import Testing
import DebtModel
@testable import DebtEngine

/// domain.md's three debts: A 3,000 at 24% min 90; B 1,500 at 18.25% (0.05%/day) min 150;
/// C 10,000 at 12% min 300.
private func threeDebts() -> [PlanDebt] {
    [PlanDebt(id: "A", balance: 300_000, rate: rate("24%"), minimum: 9_000)!,
     PlanDebt(id: "B", balance: 150_000, rate: rate("0.05%/day"), minimum: 15_000)!,
     PlanDebt(id: "C", balance: 1_000_000, rate: rate("12%"), minimum: 30_000)!]
}

@Suite("Payoff planner (domain.md Payoff plans)")
struct PlannerTests {
    @Test func avalancheThreeDebtsBudget800() {
        let plan = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .avalanche))
        #expect(plan.outcome == .debtFree)
        #expect(plan.debtFreeMonth == 21)
        #expect(plan.totalCharges == 182_638)  // 1,826.38
        #expect(plan.payoffMonths == [10, 10, 21])
        #expect(plan.months.count == 21)
        #expect(plan.totalPaid == 1_450_000 + 182_638)
        // Month 1: interest first (60.00, 22.81, 100.00), minimums, the rest (260.00) to A (24%).
        let m1 = plan.months[0]
        #expect(m1.entries.map(\.charges) == [6_000, 2_281, 10_000])
        let expectedPaid: [Int64] = [35_000, 15_000, 30_000]
        #expect(m1.entries.map(\.payment) == expectedPaid)
        let expectedAfter: [Int64] = [271_000, 137_281, 980_000]
        #expect(m1.entries.map(\.balanceAfter) == expectedAfter)
        #expect(plan.months.allSatisfy { $0.shortfall == 0 })
        #expect(plan.months.dropLast().allSatisfy { $0.unused == 0 })
    }

    @Test func snowballThreeDebtsBudget800() {
        let plan = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .snowball))
        #expect(plan.outcome == .debtFree)
        #expect(plan.debtFreeMonth == 21)
        #expect(plan.totalCharges == 185_771)  // 1,857.71
        #expect(plan.payoffMonths == [10, 4, 21])  // B month 4, A 10, C 21
    }

    @Test func avalancheWithOneOff1000InMonth3() {
        let plan = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .avalanche, extras: [3: 100_000]))
        #expect(plan.debtFreeMonth == 19)
        #expect(plan.totalCharges == 156_994)  // 1,569.94
        #expect(plan.months[2].extra == 100_000)
    }

    @Test func sameMonthRolloverWhenATargetIsPaidOff() {
        // Month 10 of the avalanche pays A off and the rest of the budget goes on to B in the same month.
        let plan = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .avalanche))
        let m10 = plan.months[9]
        #expect(m10.entries[0].balanceAfter == 0 && m10.entries[1].balanceAfter == 0)
        #expect(m10.unused == 0)
        #expect(m10.entries.reduce(Int64(0)) { $0 + $1.payment } == 80_000)
    }

    @Test func customOrderAndMinimumOnlyBaseline() {
        let custom = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .custom, order: ["C"]))
        #expect(custom.outcome == .debtFree)
        // C gets the extra first; A and B follow in avalanche order.
        #expect(custom.months[0].entries[2].payment > 30_000)
        #expect(custom.totalCharges > 182_638)

        let minimum = Planner.plan(PlanRequest(debts: threeDebts(), budget: 80_000, strategy: .minimum))
        #expect(minimum.outcome == .debtFree)
        #expect(minimum.months[0].unused == 80_000 - 54_000)
        #expect(minimum.totalCharges > custom.totalCharges)

        let compared = Planner.compare(PlanRequest(debts: threeDebts(), budget: 80_000, order: ["C"]))
        #expect(compared.map(\.strategy) == [.avalanche, .snowball, .custom, .minimum])
        #expect(compared[0].plan.totalCharges == 182_638)
        #expect(compared[1].plan.totalCharges == 185_771)
        #expect(compared[0].chargesSavedVersusMinimum == minimum.totalCharges - 182_638)
        #expect(compared[3].chargesSavedVersusMinimum == 0)
        #expect(compared.allSatisfy { $0.plan.months.isEmpty })
    }

    @Test func budgetBelowMinimumsReportsShortfallAndCostliestFirst() {
        // Minimums 90 + 150 + 300 = 540; a budget of 400 is 140 short.
        let plan = Planner.plan(PlanRequest(debts: threeDebts(), budget: 40_000, strategy: .avalanche))
        #expect(plan.outcome == .budgetBelowMinimums)
        #expect(plan.firstShortMonth == 1)
        #expect(plan.firstShortfall == 14_000)
        #expect(plan.firstMonthMinimums == 54_000)
        // Overdue cost per day = minimum x 1.5 x APR / 365: C 300 x 18%/365 = 0.148/day, B 150 x 27.375%/365 = 0.1125,
        // A 90 x 36%/365 = 0.0888. The budget pays C then B in full, A gets what is left.
        #expect(plan.overdueRisks.map(\.debt) == [2, 1, 0])
        #expect(plan.overdueRisks.map(\.costPerDayE4) == [147_945, 112_500, 88_767])
        #expect(plan.overdueRisks.map(\.costPerDay) == [15, 11, 9])
        #expect(plan.overdueRisks.map(\.covered) == [30_000, 10_000, 0])
        #expect(plan.overdueRisks.map(\.unpaid) == [0, 5_000, 9_000])
        // It still shows what the budget can do, and how much would end it in five years.
        #expect(!plan.months.isEmpty)
        #expect(plan.months[0].shortfall == 14_000)
        let five = try! #require(plan.budgetToFinishInFiveYears)
        #expect(five >= 54_000)
        var check = PlanRequest(debts: threeDebts(), budget: five, maximumMonths: 60)
        #expect(Planner.plan(check, recordMonths: false).outcome == .debtFree)
        check.budget = five - 1
        #expect(Planner.plan(check, recordMonths: false).outcome != .debtFree)
    }

    @Test func neverEndingDebtStopsAndSaysWhatEndsItInFiveYears() {
        // 10,000 at 24% with a fixed minimum of 90: interest (200.00) exceeds the payment forever.
        let debt = PlanDebt(id: "X", balance: 1_000_000, rate: rate("24%"), minimum: 9_000)!
        let plan = Planner.plan(PlanRequest(debts: [debt], budget: 9_000, strategy: .avalanche))
        #expect(plan.outcome == .neverEnds)
        #expect(plan.firstShortMonth == nil)
        #expect(plan.payoffMonths == [nil])
        #expect(plan.monthCount <= Planner.maximumMonths)
        let never = try! #require(plan.neverEnding.first)
        #expect(never.balanceAtEnd > 1_000_000)
        // The level payment of 10,000 at 2%/month over 60 months is 287.68.
        #expect(never.monthlyToEndInFiveYears == 28_768)
        #expect(plan.budgetToFinishInFiveYears == 28_768)
    }

    @Test func growthBeyondAnyAmountStopsEarly() {
        let debt = PlanDebt(id: "X", balance: 1_000_000_000_000, annualScaled: 1_000 * Percentage.scale, minimum: .fixed(1))
        let plan = Planner.plan(PlanRequest(debts: [debt], budget: 1))
        #expect(plan.outcome == .neverEnds)
        #expect(plan.monthCount < Planner.maximumMonths)
    }

    @Test func promoMonthsChargeNoInterest() {
        var a = PlanDebt(id: "A", balance: 300_000, rate: rate("24%"), minimum: 9_000)!
        a.promoMonths = 3
        let plan = Planner.plan(PlanRequest(debts: [a], budget: 9_000, strategy: .avalanche))
        #expect(plan.months.prefix(3).allSatisfy { $0.entries[0].charges == 0 })
        #expect(plan.months[3].entries[0].charges == ExactMath.mulDivRoundHalfUp(300_000 - 27_000, 2, 100))
    }

    @Test func scheduledLoanFollowsItsOwnScheduleToTheCent() {
        // The 100,000 / 12 months / 12% equal-installment loan: minimum-only reproduces its schedule exactly.
        let debt = loan("100000", "12%/year", months: 12, first: "2026-02-10", method: .equalInstallment)
        let state = DebtCalculator.state(of: debt, payments: [], asOf: date("2026-01-15"))
        let plan = Planner.plan(PlanRequest(debts: [PlanDebt(state: state, calendar: PlanCalendar(today: date("2026-01-15")))!],
                                            budget: 1_000_000, strategy: .minimum))
        #expect(plan.outcome == .debtFree)
        #expect(plan.months[0].entries[0].payment == 0)  // nothing due in January
        #expect(plan.months[1].entries[0].payment == 888_488)
        #expect(plan.months[2].entries[0].charges == 92_115)
        #expect(plan.payoffMonths == [13])
        let lines = ScheduleBuilder.schedule(for: debt)
        #expect(plan.totalCharges == lines.reduce(Int64(0)) { $0 + $1.interest.minorUnits })
        // With the budget on it (avalanche), extra prepays principal and the interest follows the smaller balance.
        let fast = Planner.plan(PlanRequest(debts: plan.debts, budget: 2_000_000, strategy: .avalanche))
        #expect(fast.payoffMonths[0]! < 13)
        #expect(fast.totalCharges < plan.totalCharges)
    }

    @Test func vaultDebtsMapOntoPlanDebts() {
        let today = date("2026-12-01")
        var card = Debt(id: "card1", name: "Card", terms: .card(CardTerms(statementDay: 1, dueDay: 20, statementBalance: cny("5000"),
                                                                         statementDate: date("2026-12-01"))), createdDate: today)
        card.promoUntil = date("2027-02-28")
        let phone = Debt(id: "phone", name: "Phone", terms: .installment(InstallmentTerms(principal: cny("6000"), months: 12, fee: rate("0.6%/month"),
                                                                                         firstDueDate: date("2026-12-15"))), createdDate: today)
        let uncle = Debt(id: "uncle", name: "Uncle", terms: .informal(InformalTerms(amount: cny("3000"), dueDate: date("2027-06-30"))), createdDate: today)
        let cal = PlanCalendar(today: today, payday: 10)
        let c = PlanDebt(state: DebtCalculator.state(of: card, payments: [], asOf: today), calendar: cal)!
        #expect(c.balance == 500_000)
        #expect(c.annualScaled == 1_825_000_000)  // 365 x 0.05% = 18.25%
        #expect(c.minimum == .rule(.default))
        #expect(c.firstMonthDue == 50_000)
        #expect(c.promoMonths == 3)  // 2026-12-10, 2027-01-10, 2027-02-10
        let p = PlanDebt(state: DebtCalculator.state(of: phone, payments: [], asOf: today), calendar: cal)!
        #expect(p.isScheduled && !p.acceptsExtra)
        #expect(p.schedule.count == 12 && p.schedule[0].month == 1 && p.schedule[0].fee == 3_600)
        #expect(p.balance == 600_000)
        let u = PlanDebt(state: DebtCalculator.state(of: uncle, payments: [], asOf: today), calendar: cal)!
        #expect(u.minimum == .inFull(fromMonth: 7))
        #expect(cal.label(ofMonth: 7) == "2027-06")
        #expect(cal.date(ofMonth: 1) == date("2026-12-10"))
        #expect(cal.date(ofMonth: 3) == date("2027-02-10"))
        #expect(cal.month(year: 2027, month: 3) == 4)
        #expect(cal.month(year: 2026, month: 11) == nil)
        // The installment is paid by its schedule only; the budget's rest goes to the card, then the uncle.
        let plan = Planner.plan(PlanRequest(debts: [c, p, u], budget: 200_000))
        #expect(plan.outcome == .debtFree)
        #expect(plan.payoffMonths[1] == 12)
        #expect(plan.totalCharges >= 12 * 3_600)
        // A closed debt is not planned.
        var closed = uncle
        closed.closure = Closure(date: today, reason: .settled)
        #expect(PlanDebt(state: DebtCalculator.state(of: closed, payments: [], asOf: today), calendar: cal) == nil)
    }

    @Test func currenciesAreGroupedSeparately() {
        let today = date("2026-12-01")
        let usd = Debt(id: "usd1", name: "Friend", terms: .informal(InformalTerms(amount: Money(minorUnits: 2_050, currency: .usd)!)), createdDate: today)
        let cnyDebt = Debt(id: "inf1", name: "Uncle", terms: .informal(InformalTerms(amount: cny("3000"))), createdDate: today)
        let inputs = VaultPlanInputs(states: [usd, cnyDebt].map { DebtCalculator.state(of: $0, payments: [], asOf: today) },
                                     calendar: PlanCalendar(today: today))
        #expect(inputs.groups.map(\.currency.code) == ["CNY", "USD"])
        #expect(inputs.groups.map { $0.debts.map(\.id) } == [["inf1"], ["usd1"]])
    }

    @Test func largeVaultPlansQuickly() {
        var debts: [PlanDebt] = []
        for k in 0..<200 {
            debts.append(PlanDebt(id: "d\(k)", balance: Int64(100_000 + k * 1_000), annualScaled: Int64(k % 30) * Percentage.scale,
                                  minimum: .rule(.percent(Percentage(basisPoints: 500), floor: Money(minorUnits: 5_000, currency: .cny)))))
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let compared = Planner.compare(PlanRequest(debts: debts, budget: 5_000_000))
            #expect(compared.allSatisfy { $0.plan.outcome == .debtFree })
        }
        #expect(elapsed < .seconds(2))
    }
}
