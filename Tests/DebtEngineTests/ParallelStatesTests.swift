@testable import DebtEngine
import DebtModel
import Testing

/// `DebtCalculator.states` derives a large vault's debts on two threads; the result must be exactly what
/// deriving each debt on its own gives, in the vault's order.
@Suite struct ParallelStatesTests {
    static func date(_ s: String) -> CivilDate { try! CivilDate.parse(s, field: "test") }

    @Test func twoThreadsGiveTheSameStatesAsOneDebtAtATime() throws {
        var doc = VaultDocument(settings: Settings())
        let start = Self.date("2024-01-15")
        for i in 0..<40 {
            let terms: DebtTerms = i % 2 == 0
                ? .loan(LoanTerms(principal: Money(minorUnits: Int64(100_000 + i * 1_000) * 100, currency: .cny)!, rate: try Rate.parse("\(3 + i % 10)%", field: "r"),
                                  months: 60, firstDueDate: start.adding(days: i)!, method: .equalInstallment))
                : .informal(InformalTerms(amount: Money(minorUnits: Int64(5_000 + i) * 100, currency: .cny)!, dueDate: Self.date("2027-01-01")))
            var debt = Debt(id: "d\(i)", name: "Debt \(i)", terms: terms, createdDate: start)
            if i % 7 == 3 { debt.closure = Closure(date: Self.date("2026-06-01"), reason: .paidOff) }
            try doc.addDebt(debt)
        }
        // 6,000 payments, more on the first debts (so the split is by work, not by count), some out of date order.
        var day = 0
        for k in 0..<6_000 {
            var i = k % 3 == 0 ? k % 5 : k % 40
            if i % 7 == 3 { i += 1 }  // no payments on the closed debts
            day = (day + 37) % 1000
            try doc.addPayment(debtID: "d\(i)", date: start.adding(days: day)!, amount: Money(minorUnits: Int64(100 + k % 900) * 100, currency: .cny)!, note: nil)
        }
        let today = Self.date("2026-12-03")
        #expect(doc.debts.count >= DebtCalculator.parallelThreshold.debts && doc.payments.count >= DebtCalculator.parallelThreshold.work,
                "the document must be large enough to take the two-thread path")
        for includeClosed in [true, false] {
            let together = DebtCalculator.states(of: doc, asOf: today, includeClosed: includeClosed)
            let alone = doc.debts.filter { includeClosed || $0.isOpen }.map {
                DebtCalculator.state(of: $0, payments: doc.payments(forDebt: $0.id), asOf: today)
            }
            #expect(together.map(\.debt.id) == alone.map(\.debt.id))
            for (a, b) in zip(together, alone) {
                #expect(a.balance == b.balance && a.totalPaid == b.totalPaid && a.remaining == b.remaining, "\(a.debt.id)")
                #expect(a.payments.map(\.id) == b.payments.map(\.id), "\(a.debt.id)")
                #expect(a.schedule.map(\.paid) == b.schedule.map(\.paid) && a.nextDue?.date == b.nextDue?.date, "\(a.debt.id)")
                #expect("\(a.status)" == "\(b.status)", "\(a.debt.id)")
            }
        }
    }
}
