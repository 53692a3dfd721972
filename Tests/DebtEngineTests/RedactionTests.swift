@testable import DebtEngine
import DebtModel
import Testing

/// The redaction engine: rounding, buckets, status buckets, pseudonym order, the leak check.
@Suite struct RedactionTests {
    static func date(_ s: String) -> CivilDate { try! CivilDate.parse(s, field: "test") }
    static func cny(_ s: String) -> Money { try! Money.parse(s, currency: .cny, field: "test") }

    static let canaries = ["CANARY-LENDER-Quokka", "CANARY-ACCT-7731", "CANARY-NOTE-Wombat", "金丝雀银行", "备注金丝雀",
                           "CANARY-PAYNOTE-Numbat"]

    /// Six debts with canaries in every free-text field and distinctive amounts and dates.
    static func canaryDocument() throws -> VaultDocument {
        var doc = VaultDocument(settings: Settings(monthlyIncome: cny("23456.78"), monthlyExpenses: cny("9876.54"), payday: 10))
        var loan = Debt(id: "loanq", name: "CANARY-LENDER-Quokka", terms: .loan(LoanTerms(
            principal: cny("123456.78"), rate: try Rate.parse("6.37%", field: "r"), months: 36, firstDueDate: date("2026-03-17"),
            method: .equalInstallment)), createdDate: date("2026-02-03"))
        loan.accountReference = "CANARY-ACCT-7731"
        loan.notes = "CANARY-NOTE-Wombat"
        try doc.addDebt(loan)
        var card = Debt(id: "cardz", name: "金丝雀银行", terms: .card(CardTerms(
            creditLimit: cny("45678.91"), statementDay: 7, dueDay: 26, statementBalance: cny("8765.43"),
            statementDate: date("2026-11-07"))), createdDate: date("2026-02-03"))
        card.notes = "备注金丝雀"
        try doc.addDebt(card)
        try doc.addDebt(Debt(id: "instk", name: "Installment canary", terms: .installment(InstallmentTerms(
            principal: cny("7319.46"), months: 12, fee: try Rate.parse("0.6%/month", field: "f"), firstDueDate: date("2026-06-19"))),
            createdDate: date("2026-05-21")))
        try doc.addDebt(Debt(id: "infx", name: "Aunt canary", terms: .informal(InformalTerms(amount: cny("4321.09"), dueDate: date("2027-04-29"))),
                             createdDate: date("2026-02-03")))
        try doc.addDebt(Debt(id: "card2x", name: "Second card canary", terms: .card(CardTerms(
            statementDay: 3, dueDay: 22, statementBalance: cny("2468.13"), statementDate: date("2026-11-03"))), createdDate: date("2026-02-03")))
        try doc.addDebt(Debt(id: "infy", name: "Friend canary", terms: .informal(InformalTerms(amount: cny("987.65"))), createdDate: date("2026-02-03")))
        try doc.addPayment(debtID: "loanq", date: date("2026-03-17"), amount: cny("3791.23"), note: "CANARY-PAYNOTE-Numbat")
        return doc
    }

    static func report(_ doc: VaultDocument, order: PseudonymOrder, precision: RedactionPrecision = .default,
                       advice: [RedactionAdviceInput] = [], plans: [RedactionPlanSummary]? = nil) -> RedactedReport {
        let today = date("2026-12-05")
        return Redactor.redact(document: doc, asOf: today, plans: plans ?? RedactionPlanSummary.compute(document: doc, asOf: today),
                               advice: advice, precision: precision, order: order)
    }

    @Test func roundsToSignificantFiguresHalfUp() {
        #expect(RedactionPrecision.round(12_345_678, significantFigures: 2) == 12_000_000)
        #expect(RedactionPrecision.round(12_500_000, significantFigures: 2) == 13_000_000)
        #expect(RedactionPrecision.round(876_543, significantFigures: 2) == 880_000)
        #expect(RedactionPrecision.round(876_543, significantFigures: 1) == 900_000)
        #expect(RedactionPrecision.round(345, significantFigures: 2) == 350)
        #expect(RedactionPrecision.round(7, significantFigures: 2) == 7)
        #expect(RedactionPrecision.round(0, significantFigures: 2) == 0)
        let a = RedactionPrecision.default.apply(876_543, currency: .cny)
        #expect(a.display == "≈8,800 CNY")
        #expect(RedactedAmount.plain(a.value, .cny) == "8800")
        #expect(RedactionPrecision.default.apply(345, currency: .cny).display == "≈3.5 CNY")
        let b = RedactionPrecision.bucket(1000).apply(876_543, currency: .cny)
        #expect(b.display == "8,000–9,000 CNY")
        #expect(b.upper == 900_000)
        #expect(RedactionPrecision.parse("1000") == .bucket(1000))
        #expect(RedactionPrecision.parse("2sf") == .significantFigures(2))
        #expect(RedactionPrecision.parse("10") == nil)
        #expect(RedactionPrecision.parse("3sf") == nil)
    }

    @Test func statusBuckets() {
        #expect(RedactedStatus(.ok) == .onTime)
        #expect(RedactedStatus(.dueSoon(days: 2)) == .onTime)
        #expect(RedactedStatus(.dueToday) == .onTime)
        #expect(RedactedStatus(.inGrace(daysLate: 1, payBy: Self.date("2026-12-08"))) == .inGrace)
        #expect(RedactedStatus(.overdue(days: 1)) == .overdue1to30)
        #expect(RedactedStatus(.overdue(days: 30)) == .overdue1to30)
        #expect(RedactedStatus(.overdue(days: 31)) == .overdue31to60)
        #expect(RedactedStatus(.overdue(days: 90)) == .overdue61to90)
        #expect(RedactedStatus(.overdue(days: 91)) == .overdue90plus)
        #expect(RedactedStatus(.paidOff) == .paidOff)
    }

    @Test func pseudonymsAndSipHash() {
        #expect(Redactor.pseudonym(0) == "Debt A")
        #expect(Redactor.pseudonym(25) == "Debt Z")
        #expect(Redactor.pseudonym(26) == "Debt AA")
        #expect(Redactor.pseudonym(27) == "Debt AB")
        #expect(Redactor.monthLabel(Self.date("2026-03-17")) == "2026-03")
        // SipHash-2-4 reference vectors (key 00..0f; messages of length 0 and 15 bytes 00..0e).
        let key: [UInt8] = Array(0..<16)
        #expect(SipHash.hash(key: key, message: []) == 0x726fdb47dd0e0e31)
        #expect(SipHash.hash(key: key, message: Array(0..<15)) == 0xa129ca6149be45e5)
    }

    @Test func reportCarriesNoExactFigures() throws {
        let doc = try Self.canaryDocument()
        for precision: RedactionPrecision in [.significantFigures(2), .significantFigures(1), .bucket(100), .bucket(1000), .bucket(10_000), .bucket(100_000)] {
            let r = Self.report(doc, order: .random(seed: [1, 2, 3]), precision: precision)
            #expect(r.month == "2026-12")
            #expect(r.debts.count == 6)
            #expect(r.countsByKind.map(\.count) == [1, 1, 2, 2])
            for d in r.debts {
                switch precision {
                case let .significantFigures(n):
                    #expect(RedactionPrecision.round(d.balance.value, significantFigures: n) == d.balance.value)
                    #expect(d.balance.upper == nil)
                case let .bucket(size):
                    #expect(d.balance.value % (size * 100) == 0)
                    #expect(d.balance.upper == d.balance.value + size * 100)
                }
            }
        }
        let r = Self.report(doc, order: .random(seed: [9]))
        let card = try #require(r.debts.first { $0.kind == .card && $0.balance.value == 880_000 })
        #expect(card.aprTenths == 183)  // 0.05%/day x 365 = 18.25% -> 18.3
        let loan = try #require(r.debts.first { $0.kind == .loan })
        #expect(loan.aprTenths == 64)  // 6.37% -> 6.4
        #expect(loan.monthsLeft == 35)  // 36 lines, the first one paid
    }

    @Test func adviceTitlesThatLeakAreReplacedByTheirCode() throws {
        let doc = try Self.canaryDocument()
        let advice = [
            RedactionAdviceInput(code: "generic", severity: "urgent", title: "An overdue debt is costing you every day"),
            RedactionAdviceInput(code: "named", severity: "important", title: "Pay CANARY-LENDER-Quokka first"),
            RedactionAdviceInput(code: "chinese", severity: "tip", title: "先还金丝雀银行"),
            RedactionAdviceInput(code: "id", severity: "tip", title: "Run vault pay loanq"),
            RedactionAdviceInput(code: "amount", severity: "tip", title: "Pay 8,765.43 now"),
            RedactionAdviceInput(code: "date", severity: "tip", title: "Due on 2026-12-26"),
            RedactionAdviceInput(code: "figure", severity: "tip", title: "Costs 1234 a year"),
            RedactionAdviceInput(code: "rate", severity: "important", title: "A debt costs more than 24% a year"),
        ]
        let r = Self.report(doc, order: .random(seed: [1]), advice: advice)
        #expect(r.advice.map(\.title) == ["An overdue debt is costing you every day", "named", "chinese", "id", "amount", "date", "figure",
                                          "A debt costs more than 24% a year"])
        #expect(r.advice.map(\.titleWithheld) == [false, true, true, true, true, true, true, false])
    }

    @Test func leakCheckFindsEachKindOfSecret() throws {
        let doc = try Self.canaryDocument()
        let check = RedactionLeakCheck(document: doc, asOf: Self.date("2026-12-05"))
        for canary in Self.canaries {
            #expect(!check.findings(in: "x \(canary) y").isEmpty, "\(canary)")
        }
        #expect(check.findings(in: "about Quokka's loan") == ["a name, account reference or note"])
        #expect(check.findings(in: "id cardz here") == ["a debt id"])
        #expect(check.findings(in: "balance 123456.78") == ["an exact amount"])
        #expect(check.findings(in: "balance 123,456.78") == ["an exact amount"])
        #expect(check.findings(in: "balance 123456 units") == ["an exact amount"])
        #expect(check.findings(in: "on 2026-03-17") == ["a day-level date"])
        #expect(check.findings(in: "on 2031/1/5") == ["a day-level date"])
        #expect(check.findings(in: "on 12月5日") == ["a day-level date"])
        #expect(check.findings(in: "≈120,000 CNY as of 2026-12, Debt A card 18.3% 27 months").isEmpty)
    }

    @Test func randomOrderChangesStableOrderDoesNot() throws {
        let doc = try Self.canaryDocument()
        func signature(_ r: RedactedReport) -> [String] { r.debts.map { "\($0.kind) \($0.balance.value) \($0.aprTenths ?? -1) \($0.monthsLeft ?? -1)" } }
        var orders = Set<[String]>()
        var figures = Set<[String]>()
        let plans = RedactionPlanSummary.compute(document: doc, asOf: Self.date("2026-12-05"))
        for seed in 0..<12 {
            let r = Self.report(doc, order: .random(seed: [UInt8(seed), 7, 7, 7]), plans: plans)
            orders.insert(signature(r))
            figures.insert(signature(r).sorted())
            #expect(r.debts.map(\.pseudonym) == (0..<6).map(Redactor.pseudonym))
        }
        #expect(orders.count > 1, "every random seed gave the same order")
        #expect(figures.count == 1, "figures differ between exports")
        let salt: [UInt8] = Array(0..<32)
        let stable = Set((0..<5).map { _ in signature(Self.report(doc, order: .stable(salt: salt), plans: plans)) })
        #expect(stable.count == 1)
        // The same seed gives the same order: the engine is pure.
        #expect(Self.report(doc, order: .random(seed: [42])) == Self.report(doc, order: .random(seed: [42])))
    }
}
