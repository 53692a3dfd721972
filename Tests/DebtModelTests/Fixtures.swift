@testable import DebtModel

/// SplitMix64: a small deterministic generator for reproducible test data.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func bool() -> Bool { next() & 1 == 1 }
}

enum Fixture {
    static let start = CivilDate(year: 2024, month: 1, day: 31)!

    static func money(_ minor: Int, _ c: Currency = .cny) -> Money { Money(minorUnits: Int64(minor), currency: c)! }

    /// A random but valid debt of every kind, exercising every optional field.
    static func randomDebt(_ rng: inout SplitMix, index: Int) -> Debt {
        let currencies: [Currency] = [.cny, .usd, .jpy, try! Currency(code: "KWD")]
        let c = currencies[rng.int(0...3)]
        func m(_ r: ClosedRange<Int>) -> Money { Money(minorUnits: Int64(rng.int(r)), currency: c)! }
        let first = start.adding(days: rng.int(0...400))!
        let terms: DebtTerms
        switch rng.int(0...3) {
        case 0:
            terms = .loan(LoanTerms(principal: m(1...1_000_000_000), rate: Rate(Percentage(scaled: Int64(rng.int(0...5_000_000_000)))!, per: RatePeriod(rawValue: UInt8(rng.int(0...2)))!),
                                    months: rng.int(1...360), firstDueDate: first, method: RepaymentMethod(rawValue: UInt8(rng.int(0...3)))!))
        case 1:
            terms = .installment(InstallmentTerms(principal: m(1...100_000_000), months: rng.int(1...36),
                                                  fee: Rate(Percentage(basisPoints: UInt32(rng.int(0...1000))), per: rng.bool() ? .month : .total), firstDueDate: first))
        case 2:
            terms = .card(CardTerms(creditLimit: rng.bool() ? m(0...10_000_000) : nil, statementDay: rng.int(1...31), dueDay: rng.int(1...31),
                                    statementBalance: m(0...5_000_000), statementDate: first,
                                    minimumPayment: rng.bool() ? .percent(Percentage(basisPoints: UInt32(rng.int(0...10000))), floor: rng.bool() ? m(0...10_000) : nil) : .fixed(m(0...10_000))))
        default:
            terms = .informal(InformalTerms(amount: m(1...10_000_000), dueDate: rng.bool() ? first : nil,
                                            rate: rng.bool() ? Rate(Percentage(basisPoints: UInt32(rng.int(0...3600))), per: .year) : nil))
        }
        var debt = Debt(id: "", name: rng.bool() ? "招商银行 \(index)" : "Lender \(index) \u{1F4B3}", terms: terms, createdDate: start)
        if rng.bool() { debt.accountReference = "6225-****-\(rng.int(1000...9999))" }
        if rng.bool() { debt.notes = String(repeating: "备注 note ", count: rng.int(0...20)) }
        debt.penaltyMultiplier = Multiplier(thousandths: Int32(rng.int(1000...2000)))!
        debt.leadDays = Debt.normalizedLeadDays((0..<rng.int(0...4)).map { _ in rng.int(0...30) })
        debt.graceDays = rng.int(0...5)
        debt.tolerance = m(0...2000)
        if rng.bool() { debt.dailyRate = Rate(Percentage(basisPoints: UInt32(rng.int(1...10))), per: .day) }
        switch rng.int(0...2) {
        case 0: debt.latePenalty = .none
        case 1: debt.latePenalty = .percentOfUnpaidMinimum(Percentage(basisPoints: 500), floor: rng.bool() ? m(0...100) : nil, cap: rng.bool() ? m(100...10_000) : nil)
        default: debt.latePenalty = .fixed(m(0...5000))
        }
        if rng.int(0...5) == 0 { debt.closure = Closure(date: start.adding(days: rng.int(0...900))!, reason: rng.bool() ? .paidOff : .settled) }
        if rng.bool() { debt.snoozedUntil = start.adding(days: rng.int(0...900)) }
        debt.weekendShift = WeekendShift(rawValue: UInt8(rng.int(0...2)))!
        if rng.bool() { debt.promoUntil = start.adding(days: rng.int(0...900)) }
        debt.overdueReminderCapDays = rng.int(0...60)
        return debt
    }

    /// A random document built only through the public mutation API (so the history is realistic).
    static func randomDocument(seed: UInt64, debts: Int, payments: Int) -> VaultDocument {
        var rng = SplitMix(state: seed)
        var doc = VaultDocument(settings: Settings(defaultCurrency: .usd, monthlyIncome: money(2_000_000), monthlyExpenses: money(800_000), payday: 15, exportSalt: [1, 2, 3, 255]))
        for i in 0..<debts {
            var debt = randomDebt(&rng, index: i)
            let closure = debt.closure
            debt.closure = nil
            try! doc.addDebt(debt)
            if let closure, i % 2 == 0 { _ = closure }
        }
        for j in 0..<payments {
            let debt = doc.debts[rng.int(0...(doc.debts.count - 1))]
            try! doc.addPayment(debtID: debt.id, date: start.adding(days: j / 20)!, amount: Money(minorUnits: Int64(rng.int(1...1_000_000)), currency: debt.currency)!,
                                note: rng.int(0...30) == 0 ? "转账 \(j)" : nil)
        }
        // Some history of every operation kind.
        if debts > 3 {
            try! doc.closeDebt(id: doc.debts[0].id, on: start.adding(days: 1000)!, reason: .settled)
            var edited = doc.debts[1]
            edited.notes = "edited"
            try! doc.editDebt(edited)
            try! doc.removeDebt(id: doc.debts[2].id)
            if let p = doc.payments.last { try! doc.removePayment(id: p.id) }
            var s = doc.settings
            s.payday = 1
            try! doc.updateSettings(s)
            try! doc.undo()
            try! doc.undo()
        }
        return doc
    }
}
