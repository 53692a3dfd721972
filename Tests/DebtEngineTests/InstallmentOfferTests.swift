import Testing
import DebtModel
@testable import DebtEngine

@Suite("Installment offers: true cost (domain.md Rates)")
struct InstallmentOfferTests {
    private func pct(_ x: Double?) -> String { x.map { Finance.percentString($0, decimals: 2) } ?? "-" }

    @Test func tenThousandOver12MonthsAt0_6PercentPerMonth() throws {
        let offer = try #require(InstallmentOffer(principal: 1_000_000, months: 12, pricing: .feePerMonth(Percentage(basisPoints: 60))))
        #expect(offer.payment == 89_333)  // 893.33
        #expect(offer.lines.count == 12)
        #expect(offer.lines.dropLast().allSatisfy { $0.payment == 89_333 })
        #expect(offer.lines.last?.payment == 89_337)  // the last line trues up the principal
        #expect(offer.totalFees == 72_000)  // 720.00
        #expect(offer.totalCost == 72_000)
        let cost = try #require(offer.cost)
        #expect(Finance.percentString(cost.monthlyIRR, decimals: 4) == "1.0862")
        #expect(pct(cost.apr) == "13.03")
        #expect(pct(cost.ear) == "13.84")
        #expect(pct(offer.advertisedAnnual) == "7.20")
        #expect(offer.ratioToAdvertised.map { ($0 * 100).rounded() / 100 } == 1.81)
        #expect(offer.linesExceeded.isEmpty)
        // The same schedule as the installment debt it would become.
        let debt = Debt(id: "phone", name: "Phone", terms: .installment(InstallmentTerms(principal: cny("10000"), months: 12, fee: rate("0.6%/month"),
                                                                                        firstDueDate: date("2027-01-15"))), createdDate: date("2026-12-01"))
        #expect(ScheduleBuilder.schedule(for: debt).map(\.amount.minorUnits) == offer.lines.map(\.payment))
        #expect(pct(Finance.cost(of: debt)?.apr) == "13.03")
    }

    @Test(arguments: [(3, 250, "14.94"), (6, 450, "15.27"), (12, 880, "15.86")])
    func huabeiTotalFees(months: Int, basisPoints: Int, apr: String) throws {
        let offer = try #require(InstallmentOffer(principal: 1_000_000, months: months, pricing: .totalFee(Percentage(basisPoints: UInt32(basisPoints)))))
        #expect(offer.totalFees == Int64(basisPoints) * 100)
        #expect(pct(offer.cost?.apr) == apr)
    }

    @Test func paymentPricingUpfrontFeeAndRegulatoryLines() throws {
        // 10,000 repaid by 12 x 1,000: 2,000 of cost; an upfront fee of 500 raises the rate further.
        let plain = try #require(InstallmentOffer(principal: 1_000_000, months: 12, pricing: .payment(100_000)))
        #expect(plain.totalCost == 200_000)
        #expect(plain.advertisedAnnual == nil && plain.ratioToAdvertised == nil)
        let apr = try #require(plain.cost?.apr)
        #expect(pct(apr) == "35.07")
        #expect(plain.linesExceeded == [24])
        let upfront = try #require(InstallmentOffer(principal: 1_000_000, months: 12, pricing: .payment(100_000), upfrontFee: 50_000))
        #expect(upfront.totalCost == 250_000)
        #expect(try #require(upfront.cost?.apr) > apr)
        #expect(upfront.linesExceeded == [24, 36])
        // Out of range inputs are refused rather than trapping.
        #expect(InstallmentOffer(principal: 0, months: 12, pricing: .payment(1)) == nil)
        #expect(InstallmentOffer(principal: 100, months: 0, pricing: .payment(1)) == nil)
        #expect(InstallmentOffer(principal: 100, months: 12, pricing: .payment(1), upfrontFee: 100) == nil)
        #expect(InstallmentOffer(principal: 100, months: 12, pricing: .payment(1))?.cost == nil)  // never repays: no IRR
    }

    @Test func revolvingComparisonAt0_05PercentPerDay() throws {
        let r = try #require(Finance.revolvingPayoff(principal: 1_000_000, months: 12, rate: rate("0.05%/day")))
        #expect(r.payments.count == 12)
        #expect(r.payments.reduce(0, +) == 1_000_000 + r.interest)
        let cost = try #require(Finance.cost(principal: 1_000_000, payments: r.payments))
        #expect(pct(cost.apr) == "18.25")
        #expect(pct(rate("0.05%/day").effectiveAnnualFraction) == "20.02")
    }

    @Test func lumpSumVersusMinimumVersusInstallments() throws {
        let cmp = LumpSumComparison(balance: 500_000, annualScaled: 1_825_000_000, minimum: .percent(Percentage(basisPoints: 1000), floor: cny("100")),
                                    offers: LumpSumComparison.defaultOffers.map { ($0.months, .totalFee($0.fee)) })
        #expect(cmp.options.map(\.kind) == ["full", "minimum", "installments", "installments", "installments"])
        #expect(cmp.options[0].cost == 0 && cmp.options[0].totalPaid == 500_000)
        let minimum = cmp.options[1]
        #expect(minimum.months != nil)
        #expect(minimum.firstPayment == 50_760)  // 10% of (5,000 + 76.04 interest), rounded half up
        #expect(minimum.totalPaid == 500_000 + minimum.cost)
        #expect(cmp.options[2...].map(\.cost) == [12_500, 22_500, 44_000])
        #expect(cmp.options[2...].map(\.months) == [3, 6, 12])
        #expect(cmp.options[2...].map { pct($0.offer?.cost?.apr) } == ["14.94", "15.27", "15.86"])
    }
}
