import Testing
import DebtModel
@testable import DebtEngine

@Suite("Engine robustness")
struct RobustnessTests {
    /// SplitMix64 with a fixed seed, so that a failure can be replayed (also used by other suites).
    struct Gen: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
        mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
    }

    @Test func extremeTermsNeverTrap() throws {
        var g = Gen(state: 2024)
        let maxMoney = Money(minorUnits: Money.maximumMinorUnits, currency: .cny)!
        for round in 0..<400 {
            let amount = g.pick([Money(minorUnits: 1, currency: .cny)!, maxMoney, Money(minorUnits: Int64(g.int(1...1_000_000_000)), currency: .cny)!])
            let pct = Percentage(scaled: g.pick([0, 1, Percentage.maximumScaled, Int64(g.int(0...10_000_000_000))]))!
            let period = g.pick([RatePeriod.year, .month, .day])
            let first = g.pick([CivilDate(year: 2026, month: 1, day: 31)!, CivilDate(year: 9000, month: 12, day: 31)!, CivilDate(year: 1, month: 1, day: 1)!])
            let terms: DebtTerms
            switch round % 4 {
            case 0: terms = .loan(LoanTerms(principal: amount, rate: Rate(pct, per: period), months: g.pick([1, 600, g.int(1...600)]), firstDueDate: first, method: g.pick(RepaymentMethod.allCases)))
            case 1: terms = .installment(InstallmentTerms(principal: amount, months: g.pick([1, 600]), fee: Rate(pct, per: g.pick([.month, .total, .day])), firstDueDate: first))
            case 2: terms = .card(CardTerms(statementDay: g.int(1...31), dueDay: g.int(1...31), statementBalance: amount, statementDate: first,
                                            minimumPayment: g.pick([.percent(Percentage(basisPoints: UInt32(g.int(0...10000))), floor: nil), .fixed(Money(minorUnits: 0, currency: .cny)!), .fixed(amount)])))
            default: terms = .informal(InformalTerms(amount: amount, dueDate: g.pick([nil, first]), rate: g.pick([nil, Rate(pct, per: period)])))
            }
            var debt = Debt(id: "x\(round)", name: "n", terms: terms, createdDate: CivilDate(year: 1, month: 1, day: 1)!)
            debt.penaltyMultiplier = Multiplier(thousandths: 100_000)!
            debt.dailyRate = g.pick([nil, Rate(Percentage(scaled: Percentage.maximumScaled)!, per: .day)])
            debt.graceDays = g.pick([0, 365])
            debt.weekendShift = g.pick(WeekendShift.allCases)
            let payments = (0..<g.int(0...30)).map { k in
                Payment(id: k + 1, debtID: debt.id, date: g.pick([first, CivilDate(year: 9999, month: 12, day: 31)!, CivilDate(year: 2026, month: 6, day: 1)!]), amount: g.pick([maxMoney, amount]))
            }
            for asOf in [CivilDate(year: 1, month: 1, day: 1)!, CivilDate(year: 2026, month: 7, day: 1)!, CivilDate(year: 9999, month: 12, day: 31)!] {
                let state = DebtCalculator.state(of: debt, payments: payments, asOf: asOf)
                #expect(state.totalPaid.minorUnits >= 0)
                #expect(state.balance.minorUnits >= 0)
                if let p = payments.first { _ = DebtCalculator.allocation(ofPayment: p.id, in: state) }
            }
            _ = Finance.cost(of: debt)
        }
    }

    @Test func unvalidatedDebtsGiveEmptySchedules() {
        var debt = loan("1000", "12%", months: 12, first: "2026-01-31", method: .equalInstallment)
        debt.terms = .loan(LoanTerms(principal: cny("1000"), rate: rate("12%"), months: 0, firstDueDate: date("2026-01-31"), method: .equalInstallment))
        #expect(ScheduleBuilder.schedule(for: debt).isEmpty)
        debt.terms = .card(CardTerms(statementDay: 0, dueDay: 40, statementBalance: cny("1"), statementDate: date("2026-01-31")))
        #expect(ScheduleBuilder.schedule(for: debt).isEmpty)
        #expect(DebtCalculator.state(of: debt, payments: [], asOf: date("2026-03-01")).status == .ok)
    }
}
