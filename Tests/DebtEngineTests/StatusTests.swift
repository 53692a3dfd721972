import Testing
import DebtModel
@testable import DebtEngine

@Suite("Balances, statuses, grace and tolerance")
struct StatusTests {
    /// 120,000 equal principal at 12%, first due 2026-03-10: 11,200.00 due then.
    func setup() -> (VaultDocument, Debt) {
        var doc = VaultDocument()
        let debt = loan("120000", "12%", months: 12, first: "2026-03-10", method: .equalPrincipal)
        try! doc.addDebt(debt)
        return (doc, debt)
    }

    func state(_ doc: VaultDocument, _ today: String, id: String = "loan1") -> DebtState {
        DebtCalculator.states(of: doc, asOf: date(today)).first { $0.id == id }!
    }

    @Test func statusThroughTheDueDate() {
        let (doc, _) = setup()
        #expect(state(doc, "2026-03-01").status == .ok)
        #expect(state(doc, "2026-03-07").status == .dueSoon(days: 3))
        #expect(state(doc, "2026-03-09").status == .dueSoon(days: 1))
        #expect(state(doc, "2026-03-10").status == .dueToday)
        #expect(state(doc, "2026-03-11").status == .inGrace(daysLate: 1, payBy: date("2026-03-13")))
        #expect(state(doc, "2026-03-13").status == .inGrace(daysLate: 3, payBy: date("2026-03-13")))
        #expect(state(doc, "2026-03-13").inGraceAmount == cny("11200"))
        #expect(state(doc, "2026-03-13").overdueAmount == cny("0"))
        let late = state(doc, "2026-03-14")
        #expect(late.status == .overdue(days: 4))
        #expect(late.status.description == "overdue 4 days")
        #expect(late.status.code == "overdue")
        #expect(late.overdueAmount == cny("11200"))
        #expect(late.daysOverdue == 4)
        // 11,200.00 x (12% / 365) x 1.5 x 4 days = 22.0931... -> 22.09
        #expect(late.penaltyInterest == cny("22.09"))
        #expect(late.nextDue == DueAmount(number: 1, date: date("2026-03-10"), amount: cny("11200")))
        #expect(late.balance == cny("120000"))
        // A month later two lines are overdue; the oldest decides the days.
        let later = state(doc, "2026-04-20")
        #expect(later.status == .overdue(days: 41))
        #expect(later.overdueAmount == cny("22300"))
    }

    @Test func toleranceCountsSmallRemaindersAsPaid() throws {
        var (doc, _) = setup()
        try doc.addPayment(debtID: "loan1", date: date("2026-03-12"), amount: cny("11190.00"))
        let s = state(doc, "2026-03-20")
        #expect(s.status == .ok)
        #expect(s.schedule[0].isSettled)
        #expect(s.schedule[0].unpaid == cny("10.00"))
        #expect(s.overdueAmount == cny("0"))
        #expect(s.nextDue == DueAmount(number: 2, date: date("2026-04-10"), amount: cny("11110.00")))

        var (doc2, _) = setup()
        try doc2.addPayment(debtID: "loan1", date: date("2026-03-12"), amount: cny("11189.99"))
        let s2 = state(doc2, "2026-03-20")
        #expect(s2.status == .overdue(days: 10))
        #expect(s2.overdueAmount == cny("10.01"))
        #expect(!s2.schedule[0].isSettled)
    }

    @Test func graceDaysDecideLateness() throws {
        var (doc, _) = setup()
        try doc.addPayment(debtID: "loan1", date: date("2026-03-13"), amount: cny("11200"))
        let onTime = state(doc, "2026-03-20")
        #expect(onTime.schedule[0].settledOn == date("2026-03-13"))
        #expect(!onTime.schedule[0].settledLate)
        #expect(onTime.status == .ok)

        var (late, _) = setup()
        try late.addPayment(debtID: "loan1", date: date("2026-03-14"), amount: cny("11200"))
        #expect(state(late, "2026-03-20").schedule[0].settledLate)
        #expect(state(late, "2026-03-13").status == .inGrace(daysLate: 3, payBy: date("2026-03-13")))

        var custom = setup().0
        var debt = custom.debt(id: "loan1")!
        debt.graceDays = 0
        try custom.editDebt(debt)
        #expect(state(custom, "2026-03-11").status == .overdue(days: 1))
    }

    @Test func paymentsApplyOldestFirstAndBalance() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan("100000", "12%", months: 12, first: "2026-02-10", method: .equalInstallment))
        let change = try doc.addPayment(debtID: "loan1", date: date("2026-02-10"), amount: cny("20000"))
        let s = state(doc, "2026-02-10")
        let allocation = try #require(DebtCalculator.allocation(ofPayment: change.paymentID!, in: s))
        #expect(allocation.parts.map(\.amount) == [cny("8884.88"), cny("8884.88"), cny("2230.24")])
        #expect(allocation.unscheduled == cny("0"))
        // Balance: principal of lines 1 and 2, plus what of line 3 exceeds its interest (841.51).
        #expect(s.balance == cny("100000") .minus(cny("7884.88")).minus(cny("7963.73")).minus(cny("2230.24")).plus(cny("841.51")))
        #expect(s.nextDue == DueAmount(number: 3, date: date("2026-04-10"), amount: cny("6654.64")))
        #expect(s.status == .ok)
        #expect(s.totalPaid == cny("20000"))
    }

    @Test func paidOffAndClosed() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan("1200", "0%", months: 2, first: "2026-02-10", method: .equalPrincipal))
        try doc.addPayment(debtID: "loan1", date: date("2026-02-01"), amount: cny("1195"))
        let s = state(doc, "2026-02-02")
        #expect(s.status == .paidOff)  // 5.00 left is within the tolerance
        #expect(s.remaining == cny("5"))
        try doc.addPayment(debtID: "loan1", date: date("2026-02-02"), amount: cny("10"))
        let over = state(doc, "2026-02-03")
        #expect(over.overpaid == cny("5"))
        #expect(over.balance == cny("0"))
        try doc.closeDebt(id: "loan1", on: date("2026-02-03"))
        #expect(state(doc, "2026-02-03").status == .closed)
        #expect(DebtCalculator.states(of: doc, asOf: date("2026-02-03"), includeClosed: false).isEmpty)
    }

    @Test func futurePaymentsAreIgnored() throws {
        var (doc, _) = setup()
        try doc.addPayment(debtID: "loan1", date: date("2026-03-20"), amount: cny("11200"))
        #expect(state(doc, "2026-03-14").status == .overdue(days: 4))
        #expect(state(doc, "2026-03-20").status == .ok)
    }

    @Test func weekendShift() throws {
        var doc = VaultDocument()
        var debt = loan("1200", "0%", months: 2, first: "2026-03-14", method: .equalPrincipal) // a Saturday
        debt.weekendShift = .after
        try doc.addDebt(debt)
        let s = state(doc, "2026-03-14")
        #expect(s.schedule[0].line.effectiveDueDate == date("2026-03-16"))
        #expect(s.status == .dueSoon(days: 2))
        #expect(state(doc, "2026-03-16").status == .dueToday)
        debt.weekendShift = .before
        try doc.editDebt(debt)
        #expect(state(doc, "2026-03-13").status == .dueToday)
    }

    @Test func informalWithoutDueDate() throws {
        var doc = VaultDocument()
        try doc.addDebt(Debt(id: "", name: "Mum", terms: .informal(InformalTerms(amount: cny("3000"))), createdDate: date("2026-01-01")))
        #expect(state(doc, "2026-05-01", id: "informal1").status == .ok)
        #expect(state(doc, "2026-05-01", id: "informal1").nextDue == nil)
        try doc.addPayment(debtID: "informal1", date: date("2026-02-01"), amount: cny("1000"))
        #expect(state(doc, "2026-05-01", id: "informal1").balance == cny("2000"))
        try doc.addPayment(debtID: "informal1", date: date("2026-03-01"), amount: cny("2000"))
        #expect(state(doc, "2026-05-01", id: "informal1").status == .paidOff)
    }
}

@Suite("Cards")
struct CardTests {
    func card(statementDay: Int = 5, dueDay: Int = 25, balance: String = "5000", statement: String = "2026-03-05", rule: MinimumPaymentRule = .default) -> VaultDocument {
        var doc = VaultDocument()
        try! doc.addDebt(Debt(id: "", name: "Card", terms: .card(CardTerms(statementDay: statementDay, dueDay: dueDay, statementBalance: cny(balance), statementDate: date(statement), minimumPayment: rule)), createdDate: date(statement)))
        return doc
    }

    func state(_ doc: VaultDocument, _ today: String) -> DebtState {
        DebtCalculator.states(of: doc, asOf: date(today))[0]
    }

    @Test func minimumDueOnDueDay() {
        let doc = card()
        let s = state(doc, "2026-03-20")
        #expect(s.nextDue == DueAmount(number: 1, date: date("2026-03-25"), amount: cny("500")))
        #expect(s.status == .ok)
        #expect(s.balance == cny("5000"))
        #expect(state(doc, "2026-03-22").status == .dueSoon(days: 3))
        #expect(state(doc, "2026-03-27").status == .inGrace(daysLate: 2, payBy: date("2026-03-28")))
        let late = state(doc, "2026-03-29")
        #expect(late.status == .overdue(days: 4))
        #expect(late.overdueAmount == cny("500"))
        #expect(late.latePenalty == cny("25"))          // 5% of the unpaid minimum
        #expect(late.penaltyInterest == cny("1.50"))    // 500 x 0.05% x 1.5 x 4
    }

    @Test func paidMinimumProjectsNextStatement() throws {
        var doc = card()
        try doc.addPayment(debtID: "card1", date: date("2026-03-24"), amount: cny("500"))
        let s = state(doc, "2026-03-26")
        #expect(s.status == .ok)
        #expect(s.balance == cny("4500"))
        #expect(s.schedule.count == 2)
        #expect(s.schedule[1].line.isProjected)
        #expect(s.nextDue == DueAmount(number: 2, date: date("2026-04-25"), amount: cny("450")))
        try doc.addPayment(debtID: "card1", date: date("2026-03-26"), amount: cny("4500"))
        #expect(state(doc, "2026-03-27").status == .paidOff)
    }

    @Test func dueDayBeforeStatementDayFallsNextMonthAndClamps() {
        let doc = card(statementDay: 20, dueDay: 8, statement: "2026-03-20")
        #expect(state(doc, "2026-03-21").nextDue?.date == date("2026-04-08"))
        let endOfMonth = card(statementDay: 1, dueDay: 31, statement: "2026-02-01")
        #expect(state(endOfMonth, "2026-02-02").nextDue?.date == date("2026-02-28"))
    }

    @Test func minimumRules() {
        let floor = card(balance: "500", rule: .percent(Percentage(basisPoints: 1000), floor: cny("100")))
        #expect(state(floor, "2026-03-06").nextDue?.amount == cny("100"))
        let fixed = card(balance: "50", rule: .fixed(cny("90")))
        #expect(state(fixed, "2026-03-06").nextDue?.amount == cny("50"))
    }
}

extension Money {
    func minus(_ other: Money) -> Money { try! subtracting(other) }
    func plus(_ other: Money) -> Money { try! adding(other) }
}
