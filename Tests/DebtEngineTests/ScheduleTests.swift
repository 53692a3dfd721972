import Testing
import DebtModel
@testable import DebtEngine

func date(_ s: String) -> CivilDate { try! CivilDate.parse(s, field: "date") }
func cny(_ s: String) -> Money { try! Money.parse(s, currency: .cny, field: "amount") }
func rate(_ s: String) -> Rate { try! Rate.parse(s, field: "rate") }

func loan(_ principal: String, _ r: String, months: Int, first: String, method: RepaymentMethod, id: String = "loan1") -> Debt {
    Debt(id: id, name: "Bank", terms: .loan(LoanTerms(principal: cny(principal), rate: rate(r), months: months, firstDueDate: date(first), method: method)),
         createdDate: date("2026-01-01"))
}

@Suite("Loan and installment schedules (domain.md acceptance examples)")
struct ScheduleTests {
    @Test func equalInstallment100kAt12Percent() {
        let lines = ScheduleBuilder.schedule(for: loan("100000", "12%/year", months: 12, first: "2026-02-10", method: .equalInstallment))
        #expect(lines.count == 12)
        #expect(lines[0].amount == cny("8884.88"))
        #expect(lines[0].amount.groupedString == "8,884.88")
        #expect(lines[0].interest == cny("1000.00"))
        #expect(lines[0].principal == cny("7884.88"))
        #expect(lines[1].interest == cny("921.15"))
        #expect(lines[1].principal == cny("7963.73"))
        for line in lines.dropLast() { #expect(line.amount == cny("8884.88")) }
        // The last payment trues up the cent rounding.
        #expect(lines[11].interest == cny("87.97"))
        #expect(lines[11].principal == cny("8796.88"))
        #expect(lines[11].amount == cny("8884.85"))
        #expect(lines[11].balanceAfter == cny("0"))
        #expect(lines.reduce(Int64(0)) { $0 + $1.principal.minorUnits } == 10_000_000)
        #expect(lines.map(\.dueDate.description).prefix(3) == ["2026-02-10", "2026-03-10", "2026-04-10"])
    }

    @Test func equalPrincipal120kAt12Percent() {
        let lines = ScheduleBuilder.schedule(for: loan("120000", "12%", months: 12, first: "2026-02-10", method: .equalPrincipal))
        #expect(lines.map(\.amount) == stride(from: 11200, through: 10100, by: -100).map { cny(String($0)) })
        #expect(lines[0].amount.groupedString == "11,200.00")
        #expect(lines[1].amount.groupedString == "11,100.00")
        let totalInterest = lines.reduce(Int64(0)) { $0 + $1.interest.minorUnits }
        #expect(Money(minorUnits: totalInterest, currency: .cny)!.groupedString == "7,800.00")
        #expect(lines.allSatisfy { $0.principal == cny("10000") })
    }

    @Test func interestOnlyAndBullet() {
        let io = ScheduleBuilder.schedule(for: loan("100000", "6%", months: 3, first: "2026-02-10", method: .interestOnly))
        #expect(io.map(\.amount) == [cny("500"), cny("500"), cny("100500")])
        let bullet = ScheduleBuilder.schedule(for: loan("100000", "6%", months: 6, first: "2026-02-10", method: .bullet))
        #expect(bullet.count == 1)
        #expect(bullet[0].dueDate == date("2026-07-10"))
        #expect(bullet[0].amount == cny("103000"))
        let zero = ScheduleBuilder.schedule(for: loan("1000", "0%", months: 3, first: "2026-02-10", method: .equalInstallment))
        #expect(zero.map(\.amount) == [cny("333.33"), cny("333.33"), cny("333.34")])
    }

    @Test func dueDaysClampToMonthEndAndLeapYears() {
        let lines = ScheduleBuilder.schedule(for: loan("1200", "0%", months: 5, first: "2026-01-31", method: .equalPrincipal))
        #expect(lines.map(\.dueDate.description) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"])
        let leap = ScheduleBuilder.schedule(for: loan("1200", "0%", months: 2, first: "2028-01-31", method: .equalPrincipal))
        #expect(leap.map(\.dueDate.description) == ["2028-01-31", "2028-02-29"])
        // A first due date on the last day of a short month with due day 31 means "the month end".
        let debt = Debt(id: "loan1", name: "B", terms: .loan(LoanTerms(principal: cny("300"), rate: rate("0%"), months: 3, firstDueDate: date("2026-02-28"), dueDay: 31, method: .equalPrincipal)), createdDate: date("2026-01-01"))
        #expect(throws: Never.self) { try debt.validate() }
        #expect(ScheduleBuilder.schedule(for: debt).map(\.dueDate.description) == ["2026-02-28", "2026-03-31", "2026-04-30"])
    }

    @Test func installmentPerMonthFee() throws {
        let debt = Debt(id: "installment1", name: "Phone", terms: .installment(InstallmentTerms(principal: cny("10000"), months: 12, fee: rate("0.6%/month"), firstDueDate: date("2026-02-15"))), createdDate: date("2026-01-15"))
        let lines = ScheduleBuilder.schedule(for: debt)
        #expect(lines[0].amount == cny("893.33"))
        #expect(lines[0].fee == cny("60"))
        #expect(lines[11].amount == cny("893.37"))
        #expect(lines.reduce(Int64(0)) { $0 + $1.fee.minorUnits } == 72_000)
        let cost = try #require(Finance.cost(of: debt))
        #expect(Finance.percentString(cost.monthlyIRR, decimals: 4) == "1.0862")
        #expect(Finance.percentString(cost.apr, decimals: 2) == "13.03")
        #expect(Finance.percentString(cost.ear, decimals: 2) == "13.84")
    }

    @Test("total-fee installments: true APR", arguments: [(3, "2.5%/total", "14.94"), (6, "4.5%/total", "15.27"), (12, "8.8%/total", "15.86")])
    func installmentTotalFee(_ months: Int, _ fee: String, _ apr: String) throws {
        let debt = Debt(id: "installment1", name: "Huabei", terms: .installment(InstallmentTerms(principal: cny("10000"), months: months, fee: rate(fee), firstDueDate: date("2026-02-15"))), createdDate: date("2026-01-15"))
        let lines = ScheduleBuilder.schedule(for: debt)
        #expect(lines.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == 1_000_000 + (try #require(rate(fee).percentage.of(1_000_000))))
        let cost = try #require(Finance.cost(of: debt))
        #expect(Finance.percentString(cost.apr, decimals: 2) == apr)
    }

    @Test func informalDebts() {
        var debt = Debt(id: "informal1", name: "Mum", terms: .informal(InformalTerms(amount: cny("5000"), dueDate: date("2026-12-31"), rate: rate("10%"))), createdDate: date("2026-01-01"))
        let lines = ScheduleBuilder.schedule(for: debt)
        #expect(lines.count == 1)
        #expect(lines[0].interest == cny("498.63"))
        debt.terms = .informal(InformalTerms(amount: cny("5000")))
        #expect(ScheduleBuilder.schedule(for: debt).isEmpty)
    }

    @Test func rateConversionsFromDomain() {
        #expect(rate("0.05%/day").apr?.description == "18.25%")
        #expect(Finance.percentString(rate("0.05%/day").effectiveAnnualFraction!, decimals: 2) == "20.02")
        #expect(rate("0.04%/day").apr?.description == "14.6%")
    }
}
