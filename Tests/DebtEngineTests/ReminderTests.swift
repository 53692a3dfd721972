import Testing
import DebtModel
@testable import DebtEngine

/// `vault remind`'s rules (issue 4, "Done when"), pinned with fixed dates.
@Suite("Reminders: lead days, grace, tolerance, cap, snooze, month ends, weekends, windows")
struct ReminderTests {
    /// 120,000 equal principal at 12%, first due Tuesday 2026-03-10: 11,200.00 due then, 11,100.00 on 2026-04-10.
    func vault(_ configure: (inout Debt) -> Void = { _ in }) -> VaultDocument {
        var doc = VaultDocument()
        var debt = loan("120000", "12%", months: 12, first: "2026-03-10", method: .equalPrincipal)
        configure(&debt)
        try! doc.addDebt(debt)
        return doc
    }

    func report(_ doc: VaultDocument, _ today: String, window: Int? = nil, all: Bool = false) -> ReminderReport {
        ReminderEngine.reminders(of: doc, today: date(today), options: ReminderOptions(windowDays: window, includeSilenced: all))
    }

    /// The (group, due date) of each line on `today`.
    func lines(_ doc: VaultDocument, _ today: String, window: Int? = nil, all: Bool = false) -> [String] {
        report(doc, today, window: window, all: all).reminders.map { "\($0.debt.id) \($0.group.code) \($0.dueDate)" }
    }

    @Test func leadDaysThreeOneAndZeroOnly() {
        let doc = vault()
        #expect(lines(doc, "2026-03-06") == [])
        #expect(lines(doc, "2026-03-07") == ["loan1 due_soon 2026-03-10"])
        #expect(lines(doc, "2026-03-08") == [], "nothing on the 8th for a debt due the 10th")
        #expect(lines(doc, "2026-03-09") == ["loan1 due_soon 2026-03-10"])
        #expect(lines(doc, "2026-03-10") == ["loan1 due_today 2026-03-10"])
        let soon = report(doc, "2026-03-07").reminders[0]
        #expect(soon.amountDue == cny("11200"))
        #expect(soon.daysUntilDue == 3)
        #expect(report(doc, "2026-03-09").reminders[0].daysUntilDue == 1)
        #expect(!report(doc, "2026-03-08").needsAttention)
        // Per-debt lead days.
        let custom = vault { $0.leadDays = [7, 2] }
        #expect(lines(custom, "2026-03-03") == ["loan1 due_soon 2026-03-10"])
        #expect(lines(custom, "2026-03-07") == [])
        #expect(lines(custom, "2026-03-08") == ["loan1 due_soon 2026-03-10"])
        #expect(lines(custom, "2026-03-10") == [], "0 is not one of this debt's lead days")
        #expect(lines(custom, "2026-03-11") == ["loan1 in_grace 2026-03-10"], "grace reminders do not depend on lead days")
    }

    @Test func paymentOnThe8thSilencesThe9thAndThe10th() throws {
        var doc = vault()
        try doc.addPayment(debtID: "loan1", date: date("2026-03-08"), amount: cny("11200"))
        #expect(lines(doc, "2026-03-07") == ["loan1 due_soon 2026-03-10"], "a payment dated later is not known yet")
        #expect(lines(doc, "2026-03-09") == [])
        #expect(lines(doc, "2026-03-10") == [])
        #expect(lines(doc, "2026-03-14") == [])
        // The next installment is reminded on its own lead days.
        #expect(lines(doc, "2026-04-07") == ["loan1 due_soon 2026-04-10"])
        #expect(report(doc, "2026-04-07").reminders[0].amountDue == cny("11100"))
        // A partial payment leaves a reminder for what is still due.
        var partial = vault()
        try partial.addPayment(debtID: "loan1", date: date("2026-03-08"), amount: cny("5000"))
        #expect(report(partial, "2026-03-09").reminders.map(\.amountDue) == [cny("6200")])
    }

    @Test func graceDaysOneToThreeThenOverdueOnDayFour() {
        let doc = vault()
        for (day, late) in [("2026-03-11", 1), ("2026-03-12", 2), ("2026-03-13", 3)] {
            let r = report(doc, day).reminders
            #expect(r.count == 1)
            #expect(r.first?.group == .inGrace, "day \(late) after the due date is in grace")
            #expect(r.first?.payBy == date("2026-03-13"))
            #expect(r.first?.reportableFrom == date("2026-03-14"))
            #expect(r.first?.daysUntilReportable == 4 - late)
            #expect(r.first?.amountDue == cny("11200"))
            #expect(r.first?.penaltyInterest == cny("0"))
        }
        let overdue = report(doc, "2026-03-14").reminders
        #expect(overdue.count == 1)
        #expect(overdue.first?.group == .overdue)
        #expect(overdue.first?.daysOverdue == 4)
        #expect(overdue.first?.dueDate == date("2026-03-10"))
        #expect(overdue.first?.amountDue == cny("11200"))
        // 11,200.00 x (12% / 365) x 1.5 x 4 days = 22.09, as DebtCalculator computes it.
        #expect(overdue.first?.penaltyInterest == cny("22.09"))
        #expect(overdue.first?.daysUntilReportable == 0)
        // Grace is per debt.
        let strict = vault { $0.graceDays = 0 }
        #expect(lines(strict, "2026-03-11") == ["loan1 overdue 2026-03-10"])
    }

    @Test func toleranceTenOrLessCountsAsPaid() throws {
        var exactly10 = vault()
        try exactly10.addPayment(debtID: "loan1", date: date("2026-03-09"), amount: cny("11190.00"))
        #expect(lines(exactly10, "2026-03-10") == [])
        #expect(lines(exactly10, "2026-03-14") == [], "a 10.00 remainder is never overdue")
        #expect(lines(exactly10, "2026-04-20") != [], "the next installment still reminds")
        var over10 = vault()
        try over10.addPayment(debtID: "loan1", date: date("2026-03-09"), amount: cny("11189.99"))
        #expect(report(over10, "2026-03-10").reminders.map(\.amountDue) == [cny("10.01")])
        let late = report(over10, "2026-03-14").reminders
        #expect(late.map(\.group) == [.overdue])
        #expect(late.map(\.amountDue) == [cny("10.01")])
        // Per-debt tolerance.
        var zero = vault { $0.tolerance = cny("0") }
        try zero.addPayment(debtID: "loan1", date: date("2026-03-09"), amount: cny("11199.99"))
        #expect(report(zero, "2026-03-10").reminders.map(\.amountDue) == [cny("0.01")])
    }

    @Test func overdueRemindersOncePerDayAndCappedAt30Days() {
        let doc = vault()
        // Day 30 overdue is the last day with a reminder; day 31 is silent unless --all.
        #expect(lines(doc, "2026-04-09") == ["loan1 overdue 2026-03-10"])
        #expect(report(doc, "2026-04-09").reminders[0].daysOverdue == 30)
        let day31 = report(doc, "2026-04-10")
        #expect(day31.reminders.isEmpty)
        #expect(day31.pastCapCount == 1)
        #expect(!day31.needsAttention)
        #expect(day31.totals.isEmpty, "a capped debt is not counted in the totals")
        let all = report(doc, "2026-04-10", all: true).reminders
        #expect(all.map(\.group) == [.overdue])
        #expect(all.first?.silence == .pastOverdueCap(days: 31))
        // The debt stays overdue (what `vault list` shows).
        #expect(DebtCalculator.states(of: doc, asOf: date("2026-04-10"))[0].status == .overdue(days: 31))
        // Two installments overdue still give one line a day, for everything past due.
        let twoLate = report(doc, "2026-04-20", all: true).reminders
        #expect(twoLate.count == 1)
        #expect(twoLate.first?.amountDue == cny("22300"))
        // Per-debt cap.
        let short = vault { $0.overdueReminderCapDays = 5 }
        #expect(lines(short, "2026-03-15") == ["loan1 overdue 2026-03-10"])
        #expect(lines(short, "2026-03-16") == [])
        #expect(lines(short, "2026-03-16", all: true) == ["loan1 overdue 2026-03-10"])
    }

    @Test func snoozeSilencesUntilItsDate() {
        let doc = vault { $0.snoozedUntil = date("2026-03-10") }
        let snoozed = report(doc, "2026-03-09")
        #expect(snoozed.reminders.isEmpty)
        #expect(snoozed.snoozedCount == 1)
        #expect(lines(doc, "2026-03-09", all: true) == ["loan1 due_soon 2026-03-10"])
        #expect(report(doc, "2026-03-09", all: true).reminders[0].silence == .snoozed(until: date("2026-03-10")))
        #expect(lines(doc, "2026-03-10") == ["loan1 due_today 2026-03-10"], "reminders resume on the snooze date")
        // A snoozed overdue debt is silent in remind but still overdue for `vault list`.
        let overdue = vault { $0.snoozedUntil = date("2026-03-20") }
        #expect(lines(overdue, "2026-03-15") == [])
        #expect(DebtCalculator.states(of: overdue, asOf: date("2026-03-15"))[0].status == .overdue(days: 5))
        #expect(lines(overdue, "2026-03-20") == ["loan1 overdue 2026-03-10"])
    }

    @Test func monthEndDueDaysFallOnTheLastDayOfShortMonths() {
        // Due on the 31st: Feb 28 (2026), Apr 30.
        var doc = VaultDocument()
        try! doc.addDebt(loan("12000", "0%", months: 12, first: "2026-01-31", method: .equalPrincipal))
        #expect(lines(doc, "2026-01-28") == ["loan1 due_soon 2026-01-31"])
        try! doc.addPayment(debtID: "loan1", date: date("2026-01-31"), amount: cny("1000"))
        #expect(lines(doc, "2026-02-25") == ["loan1 due_soon 2026-02-28"])
        #expect(lines(doc, "2026-02-26") == [])
        #expect(lines(doc, "2026-02-27") == ["loan1 due_soon 2026-02-28"])
        #expect(lines(doc, "2026-02-28") == ["loan1 due_today 2026-02-28"])
        try! doc.addPayment(debtID: "loan1", date: date("2026-02-28"), amount: cny("1000"))
        try! doc.addPayment(debtID: "loan1", date: date("2026-03-31"), amount: cny("1000"))
        #expect(lines(doc, "2026-04-27") == ["loan1 due_soon 2026-04-30"])
        #expect(lines(doc, "2026-04-30") == ["loan1 due_today 2026-04-30"])
        #expect(lines(doc, "2026-05-01") == ["loan1 in_grace 2026-04-30"])
        // Leap year: Feb 29.
        var leap = VaultDocument()
        try! leap.addDebt(loan("12000", "0%", months: 12, first: "2028-01-31", method: .equalPrincipal))
        try! leap.addPayment(debtID: "loan1", date: date("2028-01-31"), amount: cny("1000"))
        #expect(lines(leap, "2028-02-26") == ["loan1 due_soon 2028-02-29"])
        #expect(lines(leap, "2028-02-28") == ["loan1 due_soon 2028-02-29"])
        #expect(lines(leap, "2028-02-29") == ["loan1 due_today 2028-02-29"])
    }

    @Test func weekendDueDatesShiftPerDebt() {
        // 2026-03-14 is a Saturday.
        #expect(date("2026-03-14").weekday == .saturday)
        func debt(_ shift: WeekendShift) -> VaultDocument {
            var doc = VaultDocument()
            var d = loan("120000", "12%", months: 12, first: "2026-03-14", method: .equalPrincipal)
            d.weekendShift = shift
            try! doc.addDebt(d)
            return doc
        }
        let none = debt(.none)
        #expect(lines(none, "2026-03-11") == ["loan1 due_soon 2026-03-14"])
        #expect(lines(none, "2026-03-14") == ["loan1 due_today 2026-03-14"])
        // before: Friday 13th; lead days count from it, and so does grace.
        let before = debt(.before)
        #expect(lines(before, "2026-03-10") == ["loan1 due_soon 2026-03-13"])
        #expect(lines(before, "2026-03-11") == [])
        #expect(lines(before, "2026-03-12") == ["loan1 due_soon 2026-03-13"])
        #expect(lines(before, "2026-03-13") == ["loan1 due_today 2026-03-13"])
        #expect(lines(before, "2026-03-14") == ["loan1 in_grace 2026-03-13"])
        #expect(report(before, "2026-03-17").reminders.first?.group == .overdue)
        // after: Monday 16th.
        let after = debt(.after)
        #expect(lines(after, "2026-03-13") == ["loan1 due_soon 2026-03-16"])
        #expect(lines(after, "2026-03-14") == [])
        #expect(lines(after, "2026-03-15") == ["loan1 due_soon 2026-03-16"])
        #expect(lines(after, "2026-03-16") == ["loan1 due_today 2026-03-16"])
        #expect(report(after, "2026-03-19").reminders.first?.payBy == date("2026-03-19"))
    }

    @Test func windowViewListsEverythingDueIgnoringLeadDays() {
        let doc = vault()
        #expect(lines(doc, "2026-03-01", window: 7) == [])
        #expect(lines(doc, "2026-03-01", window: 9) == ["loan1 due_soon 2026-03-10"])
        #expect(lines(doc, "2026-03-08", window: 7) == ["loan1 due_soon 2026-03-10"], "the 8th is not a lead day, but the window shows it")
        #expect(lines(doc, "2026-03-10", window: 0) == ["loan1 due_today 2026-03-10"])
        #expect(lines(doc, "2026-03-01", window: 45) == ["loan1 due_soon 2026-03-10", "loan1 due_soon 2026-04-10"])
        let amounts = report(doc, "2026-03-01", window: 45).reminders.map(\.amountDue)
        #expect(amounts == [cny("11200"), cny("11100")])
        // Past due debts stay on top.
        #expect(lines(doc, "2026-03-20", window: 30) == ["loan1 overdue 2026-03-10", "loan1 due_soon 2026-04-10"])
    }

    @Test func summaryTotalsPerCurrencyForTodayAndTheNextSevenDays() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan("120000", "12%", months: 12, first: "2026-03-10", method: .equalPrincipal, id: "today"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-15", method: .equalPrincipal, id: "in5days"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-20", method: .equalPrincipal, id: "in10days"))
        let usd = Money.major(1200, .usd)!
        try doc.addDebt(Debt(id: "dollars", name: "US bank", terms: .informal(InformalTerms(amount: usd, dueDate: date("2026-03-12"))),
                             createdDate: date("2026-01-01")))
        let r = report(doc, "2026-03-10")
        #expect(r.reminders.map { $0.debt.id } == ["today"], "only today's lead day gives a line")
        #expect(r.totals.map(\.currency) == [.cny, .usd])
        #expect(r.totals[0].today == cny("11200"))
        #expect(r.totals[0].upcoming == cny("12200"), "11,200 today + 1,000 on the 15th; the 20th is outside")
        #expect(r.totals[1].today == Money.major(0, .usd)!)
        #expect(r.totals[1].upcoming == usd)
        #expect(r.upcomingThrough == date("2026-03-17"))
        // Past due amounts count for today.
        let later = report(doc, "2026-03-12")
        #expect(later.totals[0].today == cny("11200"))
        #expect(later.totals[1].today == usd)
    }

    @Test func mostUrgentFirstAndSilentWhenPaidOffOrClosed() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-13", method: .equalPrincipal, id: "soon"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-10", method: .equalPrincipal, id: "today"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-08", method: .equalPrincipal, id: "grace"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-01", method: .equalPrincipal, id: "late"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-02-20", method: .equalPrincipal, id: "later"))
        try doc.addDebt(loan("6000", "0%", months: 6, first: "2026-03-10", method: .equalPrincipal, id: "closed"))
        try doc.closeDebt(id: "closed", on: date("2026-03-01"))
        try doc.addDebt(Debt(id: "paid", name: "Friend", terms: .informal(InformalTerms(amount: cny("500"), dueDate: date("2026-03-10"))),
                             createdDate: date("2026-01-01")))
        try doc.addPayment(debtID: "paid", date: date("2026-03-01"), amount: cny("500"))
        #expect(lines(doc, "2026-03-10") == [
            "later overdue 2026-02-20", "late overdue 2026-03-01", "grace in_grace 2026-03-08",
            "today due_today 2026-03-10", "soon due_soon 2026-03-13",
        ])
        // An informal debt without a due date never reminds.
        var none = VaultDocument()
        try none.addDebt(Debt(id: "open", name: "Shop", terms: .informal(InformalTerms(amount: cny("80"))), createdDate: date("2026-01-01")))
        #expect(report(none, "2026-03-10").reminders.isEmpty)
        #expect(report(none, "2026-03-10").totals.isEmpty)
    }
}
