import DebtModel

/// An installment (分期) or loan offer and its true cost: the schedule, the total cost, the monthly
/// IRR, the nominal APR (12 x IRR), the effective annual rate, and how far the real rate is from the
/// one advertised. Pure and in memory; used by `vault apr` and the lump-sum comparison.
public struct InstallmentOffer: Hashable, Sendable {
    /// How the offer is priced.
    public enum Pricing: Hashable, Sendable {
        /// A fee per month on the ORIGINAL principal ("0.6%/month"): each payment is P/n + P f.
        case feePerMonth(Percentage)
        /// A fee for the whole term ("8.8%" over 12 months, Huabei style), spread evenly.
        case totalFee(Percentage)
        /// A fixed monthly payment, in minor units.
        case payment(Int64)
    }

    /// One payment of the offer.
    public struct Line: Hashable, Sendable {
        /// 1-based month.
        public let number: Int
        /// The principal part.
        public let principal: Int64
        /// The fee (or interest) part.
        public let fee: Int64
        /// The payment.
        public var payment: Int64 { principal + fee }
    }

    /// The amount financed, in minor units.
    public let principal: Int64
    /// Number of monthly payments.
    public let months: Int
    /// The pricing.
    public let pricing: Pricing
    /// A fee paid when the offer starts (deducted from what the borrower effectively receives).
    public let upfrontFee: Int64
    /// The payments, first one month after the start. Fee offers round exactly like installment debts
    /// (``ScheduleBuilder``): principal P/n and the fee rounded half up, the last line trues up.
    public let lines: [Line]

    /// Creates an offer; `nil` when the amounts or months are out of range (principal 1...10^13 minor
    /// units, months 1...600, upfront fee below the principal, a payment that is positive).
    public init?(principal: Int64, months: Int, pricing: Pricing, upfrontFee: Int64 = 0, currency: Currency = .cny) {
        guard principal > 0, principal <= Money.maximumMinorUnits, (1...600).contains(months),
              upfrontFee >= 0, upfrontFee < principal else { return nil }
        self.principal = principal
        self.months = months
        self.pricing = pricing
        self.upfrontFee = upfrontFee
        let fee: Rate
        switch pricing {
        case let .feePerMonth(f): fee = Rate(f, per: .month)
        case let .totalFee(f): fee = Rate(f, per: .total)
        case let .payment(a):
            guard a > 0, a <= Money.maximumMinorUnits else { return nil }
            let base = ExactMath.mulDivRoundHalfUp(principal, 1, Int64(months)) ?? 0
            var remaining = principal
            var out: [Line] = []
            for k in 1...months {
                let p = k == months ? remaining : min(base, remaining)
                remaining -= p
                out.append(Line(number: k, principal: p, fee: a - p))
            }
            self.lines = out
            return
        }
        // Reuse the installment schedule of the debt model, so an offer and the debt it becomes agree to the cent.
        guard let money = Money(minorUnits: principal, currency: currency), let start = CivilDate(year: 2000, month: 1, day: 1) else { return nil }
        let debt = Debt(id: "offer", name: "offer", terms: .installment(InstallmentTerms(principal: money, months: months, fee: fee, firstDueDate: start)),
                        createdDate: start)
        self.lines = ScheduleBuilder.schedule(for: debt).map {
            Line(number: $0.number, principal: $0.principal.minorUnits, fee: $0.fee.minorUnits + $0.interest.minorUnits)
        }
    }

    /// The first (regular) payment.
    public var payment: Int64 { lines.first?.payment ?? 0 }
    /// Everything repaid over the term.
    public var totalRepaid: Int64 { lines.reduce(0) { $0 + $1.payment } }
    /// Fees in the payments (total repaid minus principal).
    public var totalFees: Int64 { totalRepaid - principal }
    /// The total cost of borrowing: fees in the payments plus the upfront fee.
    public var totalCost: Int64 { totalFees + upfrontFee }

    /// Monthly IRR, APR (12 x IRR) and EAR ((1+IRR)^12 - 1) of receiving principal minus the upfront fee
    /// and paying the lines; `nil` when the payments do not even repay that.
    public var cost: Finance.Cost? {
        Finance.cost(principal: principal - upfrontFee, payments: lines.map(\.payment))
    }

    /// The nominal annual rate as advertised, as a fraction: 12 f for a monthly fee, F x 12 / n for a
    /// total fee; `nil` for a payment offer (no rate is quoted).
    public var advertisedAnnual: Double? {
        switch pricing {
        case let .feePerMonth(f): return f.fraction * 12
        case let .totalFee(f): return f.fraction * 12 / Double(months)
        case .payment: return nil
        }
    }

    /// The real APR divided by the advertised nominal rate (about 1.8 for a monthly-fee offer);
    /// `nil` without an advertised rate or a cost.
    public var ratioToAdvertised: Double? {
        guard let a = advertisedAnnual, a > 0, let c = cost else { return nil }
        return c.apr / a
    }

    /// The regulators' lines the APR exceeds (domain.md): 24% (consumer finance guidance) and 36%
    /// (2017 cash-loan rules), as percentages.
    public var linesExceeded: [Int] {
        guard let apr = cost?.apr else { return [] }
        return Finance.regulatoryLines.filter { apr > Double($0) / 100 }
    }
}

extension Finance {
    /// The APR lines regulators draw, in percent: 24 and 36.
    public static let regulatoryLines = [24, 36]

    /// Paying `principal` off on a revolving line at `rate` (e.g. 0.05%/day: APR = 365 x daily) in
    /// level monthly payments over `months`: each month interest = round-half-up(balance x APR / 12)
    /// first, the payment is the equal-installment PMT, the last one trues up.
    /// Returns the payments and the total interest; `nil` for a total rate.
    public static func revolvingPayoff(principal: Int64, months: Int, rate: Rate) -> (payments: [Int64], interest: Int64)? {
        guard let annual = rate.annualScaled, months > 0, principal > 0 else { return nil }
        let pmt = equalInstallmentPayment(principal: principal, annualScaled: annual, months: months)
        var balance = principal
        var payments: [Int64] = []
        var interest: Int64 = 0
        for k in 0..<months {
            let i = rate.monthlyInterest(on: balance) ?? 0
            interest += i
            balance += i
            let p = k == months - 1 ? balance : min(pmt, balance)
            balance -= p
            payments.append(p)
        }
        return (payments, interest)
    }
}

/// Paying a card or line balance in full now, paying only the minimum, or converting it to
/// installments: the total cost of each.
public struct LumpSumComparison: Hashable, Sendable {
    /// One option.
    public struct Option: Hashable, Sendable {
        /// "full", "minimum", or "installments".
        public let kind: String
        /// Number of months (payoff month for minimum-only; `nil` when it never ends within 100 years).
        public let months: Int?
        /// The first monthly payment.
        public let firstPayment: Int64
        /// Interest and fees paid in total.
        public let cost: Int64
        /// Everything paid in total.
        public let totalPaid: Int64
        /// The installment offer, for installment options.
        public let offer: InstallmentOffer?
    }

    /// The balance compared.
    public let balance: Int64
    /// Pay in full now, minimum only, then each installment offer.
    public let options: [Option]

    /// The default installment offers when none are given: Huabei's total fees 2.5% over 3 months,
    /// 4.5% over 6 and 8.8% over 12 (domain.md).
    public static let defaultOffers: [(months: Int, fee: Percentage)] = [
        (3, Percentage(basisPoints: 250)), (6, Percentage(basisPoints: 450)), (12, Percentage(basisPoints: 880)),
    ]

    /// Compares the options for `balance` on a revolving debt with `annualScaled` APR and `minimum` rule.
    /// Paying in full now costs nothing (within the interest-free period); minimum-only follows the
    /// planner's conventions (interest first, then the minimum) for at most 100 years.
    /// A remaining balance up to `tolerance` is paid in full (the card's 容差).
    public init(balance: Int64, annualScaled: Int64, minimum: MinimumPaymentRule, tolerance: Int64 = 0,
                offers: [(months: Int, pricing: InstallmentOffer.Pricing)], currency: Currency = .cny) {
        self.balance = balance
        var out: [Option] = [Option(kind: "full", months: 0, firstPayment: balance, cost: 0, totalPaid: balance, offer: nil)]
        var debt = PlanDebt(id: "balance", balance: balance, annualScaled: annualScaled, minimum: .rule(minimum))
        debt.settleBelow = tolerance
        let plan = Planner.plan(PlanRequest(debts: [debt], budget: Money.maximumMinorUnits, strategy: .minimum), recordMonths: true)
        out.append(Option(kind: "minimum", months: plan.payoffMonths[0], firstPayment: plan.months.first?.entries.first?.payment ?? 0,
                          cost: plan.totalCharges, totalPaid: plan.totalPaid, offer: nil))
        for o in offers {
            guard let offer = InstallmentOffer(principal: balance, months: o.months, pricing: o.pricing, currency: currency) else { continue }
            out.append(Option(kind: "installments", months: o.months, firstPayment: offer.payment, cost: offer.totalCost,
                              totalPaid: offer.totalRepaid, offer: offer))
        }
        options = out
    }
}
