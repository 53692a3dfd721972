import DebtModel

/// One amount that falls due on a date, with its breakdown. Amounts are in the debt's currency.
public struct ScheduleLine: Hashable, Sendable {
    /// 1-based position in the schedule.
    public let number: Int
    /// The contractual due date (due days 29-31 clamped to shorter months).
    public let dueDate: CivilDate
    /// The due date after the debt's weekend shift (equal to ``dueDate`` when no shift applies).
    public let effectiveDueDate: CivilDate
    /// The total due on this date: principal + interest + fee.
    public let amount: Money
    /// The principal part.
    public let principal: Money
    /// The interest part.
    public let interest: Money
    /// The fee part (installment fees).
    public let fee: Money
    /// The principal still owed after this line is paid (for loans and installments).
    public let balanceAfter: Money
    /// True for a card's projected future minimum (assumes no new spending and no interest).
    public let isProjected: Bool
}

/// Builds schedules. Every amount is rounded half up to the minor unit when it is posted.
public enum ScheduleBuilder {
    /// The schedule of a debt.
    ///
    /// Loans and installments have a fixed schedule. A card has its current statement's minimum due on
    /// the first due date after the statement date, followed by projected minimums on the remaining
    /// statement balance (each after the payments made up to that statement date, assuming no new
    /// spending and no interest), generated until a line due after `asOf` is not covered by the payments
    /// made up to `asOf`, or the statement balance is fully scheduled. An informal debt has one line on its due date (with simple interest
    /// from the creation date when it has a rate), or none without a due date.
    /// - Parameters:
    ///   - payments: the debt's payments (only needed for cards; any order).
    ///   - asOf: how far to project a card's cycles (default: its first due date).
    public static func schedule(for debt: Debt, payments: [Payment] = [], asOf: CivilDate? = nil) -> [ScheduleLine] {
        schedule(for: debt, sortedPayments: VaultDocument.sortedByDate(PaymentList(payments)), asOf: asOf)
    }

    /// ``schedule(for:payments:asOf:)`` with the payments already ordered by date, then id.
    static func schedule(for debt: Debt, sortedPayments sorted: PaymentList, asOf: CivilDate? = nil) -> [ScheduleLine] {
        let c = debt.currency
        var lines: [ScheduleLine] = []
        guard isSchedulable(debt.terms) else { return lines }
        let cap = Money.maximumMinorUnits
        func add(_ due: CivilDate, principal: Int64, interest: Int64, fee: Int64, balanceAfter: Int64, projected: Bool = false) {
            // Every part is at most 10^13 minor units, so sums over 600 lines can never overflow.
            let interest = min(interest, cap), fee = min(fee, cap)
            lines.append(ScheduleLine(
                number: lines.count + 1, dueDate: due, effectiveDueDate: debt.weekendShift.apply(to: due),
                amount: Money(clamping: principal + interest + fee, currency: c),
                principal: Money(clamping: principal, currency: c), interest: Money(clamping: interest, currency: c),
                fee: Money(clamping: fee, currency: c), balanceAfter: Money(clamping: balanceAfter, currency: c),
                isProjected: projected))
        }
        switch debt.terms {
        case let .loan(t):
            let p = t.principal.minorUnits
            let n = t.months
            func due(_ k: Int) -> CivilDate { CivilDate.monthly(from: t.firstDueDate, day: t.dueDay, offset: k) ?? t.firstDueDate }
            func interest(_ balance: Int64) -> Int64 { t.rate.monthlyInterest(on: balance) ?? cap }
            switch t.method {
            case .equalInstallment:
                let pmt = Finance.equalInstallmentPayment(principal: p, annualScaled: t.rate.annualScaled ?? 0, months: n)
                var balance = p
                for k in 0..<n {
                    let i = interest(balance)
                    let principal = k == n - 1 ? balance : min(max(pmt - i, 0), balance)
                    balance -= principal
                    add(due(k), principal: principal, interest: i, fee: 0, balanceAfter: balance)
                }
            case .equalPrincipal:
                let base = ExactMath.mulDivRoundHalfUp(p, 1, Int64(n)) ?? 0
                var balance = p
                for k in 0..<n {
                    let i = interest(balance)
                    let principal = k == n - 1 ? balance : min(base, balance)
                    balance -= principal
                    add(due(k), principal: principal, interest: i, fee: 0, balanceAfter: balance)
                }
            case .interestOnly:
                for k in 0..<n {
                    let last = k == n - 1
                    add(due(k), principal: last ? p : 0, interest: interest(p), fee: 0, balanceAfter: last ? 0 : p)
                }
            case .bullet:
                let i = ExactMath.mulDivRoundHalfUp(p, (t.rate.annualScaled ?? 0) * Int64(n), Percentage.unitsPerOne * 12) ?? cap
                add(due(n - 1), principal: p, interest: i, fee: 0, balanceAfter: 0)
            }
        case let .installment(t):
            let p = t.principal.minorUnits
            let n = Int64(t.months)
            let base = ExactMath.mulDivRoundHalfUp(p, 1, n) ?? 0
            let monthlyFee: Int64
            let totalFee: Int64
            if t.fee.period == .total {
                totalFee = min(t.fee.percentage.of(p) ?? cap, cap)
                monthlyFee = ExactMath.mulDivRoundHalfUp(totalFee, 1, n) ?? 0
            } else {
                monthlyFee = min(t.fee.monthlyInterest(on: p) ?? cap, cap)
                totalFee = monthlyFee * n
            }
            var balance = p
            var feeSoFar: Int64 = 0
            for k in 0..<t.months {
                let last = k == t.months - 1
                let principal = last ? balance : min(base, balance)
                let fee = last ? totalFee - feeSoFar : monthlyFee
                balance -= principal
                feeSoFar += fee
                add(CivilDate.monthly(from: t.firstDueDate, day: t.dueDay, offset: k) ?? t.firstDueDate,
                    principal: principal, interest: 0, fee: fee, balanceAfter: balance)
            }
        case let .card(t):
            let total = t.statementBalance.minorUnits
            guard total > 0, let firstDue = t.dueDate(forStatementOn: t.statementDate) else { break }
            let horizon = asOf ?? firstDue
            let paidByHorizon = sorted.indices.reduce(Int64(0)) { sorted.date(at: $1) <= horizon ? saturatingAdd($0, sorted.minorUnits(at: $1)) : $0 }
            var paymentIndex = 0
            var paidBefore: Int64 = 0
            var scheduled: Int64 = 0
            var cycle = 0
            var statementDate = t.statementDate
            var dueDate = firstDue
            while scheduled < total && cycle < 600 {
                // Payments made on or before this statement date (and not after the horizon) reduce it.
                let cut = min(statementDate, horizon)
                while paymentIndex < sorted.count && sorted.date(at: paymentIndex) <= cut {
                    paidBefore = saturatingAdd(paidBefore, sorted.minorUnits(at: paymentIndex))
                    paymentIndex += 1
                }
                let statementRemaining = cycle == 0 ? total : total - paidBefore
                guard statementRemaining > 0 else { break }
                let minimum = min(t.minimumPayment.minimum(on: statementRemaining), total - scheduled)
                guard minimum > 0 else { break }
                scheduled += minimum
                add(dueDate, principal: minimum, interest: 0, fee: 0, balanceAfter: total - scheduled, projected: cycle > 0)
                // Stop after the first line due after the horizon that the payments so far do not cover.
                if debt.weekendShift.apply(to: dueDate) > horizon && scheduled - paidByHorizon > debt.tolerance.minorUnits { break }
                cycle += 1
                guard let nextStatement = CivilDate.monthly(from: t.statementDate, day: t.statementDay, offset: cycle),
                      let nextDue = t.dueDate(forStatementOn: nextStatement) else { break }
                statementDate = nextStatement
                dueDate = nextDue
            }
        case let .informal(t):
            guard let due = t.dueDate else { break }
            var interest: Int64 = 0
            if let rate = t.rate, let ratio = rate.dailyRatio {
                let days = Int64(max(0, debt.createdDate.days(until: due)))
                let (scaledDays, overflow) = ratio.numerator.multipliedReportingOverflow(by: days)
                interest = overflow ? cap : (ExactMath.mulDivRoundHalfUp(t.amount.minorUnits, scaledDays, Percentage.unitsPerOne * ratio.denominator) ?? cap)
            }
            add(due, principal: t.amount.minorUnits, interest: interest, fee: 0, balanceAfter: 0)
        }
        return lines
    }

    /// Cheap structural checks so that an unvalidated debt yields an empty schedule instead of trapping.
    static func isSchedulable(_ terms: DebtTerms) -> Bool {
        let days = 1...31, months = 1...600, amounts = 0...Money.maximumMinorUnits
        switch terms {
        case let .loan(t): return months.contains(t.months) && days.contains(t.dueDay) && amounts.contains(t.principal.minorUnits)
        case let .installment(t): return months.contains(t.months) && days.contains(t.dueDay) && amounts.contains(t.principal.minorUnits)
        case let .card(t): return days.contains(t.dueDay) && days.contains(t.statementDay) && amounts.contains(t.statementBalance.minorUnits)
        case let .informal(t): return amounts.contains(t.amount.minorUnits)
        }
    }
}

/// `a + b`, saturating at the `Int64` bounds instead of trapping.
@inline(__always) func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? .max : .min) : sum
}

/// Financial formulas. Binary floating point is used only where a closed form needs powers
/// (the equal-installment payment, whose result is then rounded half up to the minor unit) and for
/// reported rates (IRR, APR, EAR) — never for postings.
public enum Finance {
    /// The equal-installment (等额本息) payment PMT = P i (1+i)^n / ((1+i)^n - 1) with i = APR / 12,
    /// rounded half up to the minor unit; P / n (rounded half up) at 0%.
    /// - Parameters:
    ///   - principal: P in minor units.
    ///   - annualScaled: the APR in 10^-8 percentage points (``Rate/annualScaled``).
    ///   - months: n.
    public static func equalInstallmentPayment(principal: Int64, annualScaled: Int64, months: Int) -> Int64 {
        guard months > 0 else { return principal }
        guard annualScaled > 0 else { return ExactMath.mulDivRoundHalfUp(principal, 1, Int64(months)) ?? principal }
        let i = Double(annualScaled) / Double(Percentage.unitsPerOne) / 12
        // P i / (1 - (1+i)^-n): the same value as P i (1+i)^n / ((1+i)^n - 1), but finite for any n and i.
        var discount = 1.0
        for _ in 0..<months { discount /= 1 + i }
        let pmt = (Double(principal) * i / (1 - discount)).rounded(.toNearestOrAwayFromZero)
        guard pmt.isFinite, pmt < Double(Money.maximumMinorUnits) else { return Money.maximumMinorUnits }
        return Int64(pmt)
    }

    /// A fraction as a percentage string rounded half away from zero to `decimals` places, without
    /// Foundation: `percentString(0.130312, decimals: 2)` is "13.03".
    public static func percentString(_ fraction: Double, decimals: Int = 2) -> String {
        guard fraction.isFinite else { return fraction.isNaN ? "nan" : (fraction > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (fraction * 100 * scale).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9e15 else { return String(fraction * 100) }
        let value = Int64(scaled)
        let magnitude = value.magnitude
        let divisor = UInt64(scale)
        var text = String(magnitude / divisor)
        if decimals > 0 {
            var fractionDigits = String(magnitude % divisor)
            while fractionDigits.count < decimals { fractionDigits = "0" + fractionDigits }
            text += "." + fractionDigits
        }
        return value < 0 ? "-" + text : text
    }

    /// The monthly internal rate of return r of borrowing `principal` and repaying `payments` (one per
    /// month, first one month later): principal = sum payments[k] / (1+r)^(k+1). `nil` when the payments
    /// do not cover the principal's sign change (no IRR) or the search does not converge.
    public static func monthlyIRR(principal: Int64, payments: [Int64]) -> Double? {
        guard principal > 0, !payments.isEmpty, payments.allSatisfy({ $0 >= 0 }) else { return nil }
        let p = Double(principal)
        let total = payments.reduce(0.0) { $0 + Double($1) }
        guard total >= p else { return nil }
        // NPV at monthly rate r, and its derivative in r.
        func npv(_ r: Double) -> (value: Double, slope: Double) {
            var value = -p, slope = 0.0, discount = 1.0
            let factor = 1 / (1 + r)
            for (k, a) in payments.enumerated() {
                discount *= factor
                let pv = Double(a) * discount
                value += pv
                slope -= Double(k + 1) * pv * factor
            }
            return (value, slope)
        }
        var lo = 0.0, hi = 1.0
        while npv(hi).value > 0 && hi < 1e6 { hi *= 2 }
        guard npv(hi).value <= 0 else { return nil }
        // Newton's method inside the bracket [lo, hi] (NPV falls as r grows), bisecting whenever a step
        // would leave it: a few steps instead of ~50 halvings, and never worse than bisection.
        var r = (lo + hi) / 2
        for _ in 0..<200 {
            let (v, dv) = npv(r)
            if v > 0 { lo = r } else { hi = r }
            var next = dv < 0 ? r - v / dv : (lo + hi) / 2
            if !(next > lo && next < hi) { next = (lo + hi) / 2 }
            if abs(next - r) <= 1e-16 * max(1, r) || hi - lo < 1e-15 { return next }
            r = next
        }
        return r
    }

    /// The true cost of a schedule: monthly IRR, nominal APR = 12 r, and EAR = (1+r)^12 - 1 (fractions).
    public struct Cost: Hashable, Sendable {
        /// Monthly IRR as a fraction.
        public let monthlyIRR: Double
        /// Nominal APR (12 x monthly IRR) as a fraction.
        public let apr: Double
        /// Effective annual rate as a fraction.
        public let ear: Double
    }

    /// The cost of borrowing `principal` repaid by the monthly `payments`; `nil` without an IRR.
    public static func cost(principal: Int64, payments: [Int64]) -> Cost? {
        guard let r = monthlyIRR(principal: principal, payments: payments) else { return nil }
        var growth = 1.0
        for _ in 0..<12 { growth *= 1 + r }
        return Cost(monthlyIRR: r, apr: 12 * r, ear: growth - 1)
    }

    /// The cost of a loan or installment debt from its own schedule (amounts paid each month);
    /// `nil` for cards and informal debts or when no IRR exists.
    public static func cost(of debt: Debt) -> Cost? {
        let principal: Int64
        switch debt.terms {
        case let .loan(t): principal = t.principal.minorUnits
        case let .installment(t): principal = t.principal.minorUnits
        case .card, .informal: return nil
        }
        let lines = ScheduleBuilder.schedule(for: debt)
        if case let .loan(t) = debt.terms, t.method == .bullet {
            var amounts = [Int64](repeating: 0, count: t.months)
            amounts[t.months - 1] = lines.last?.amount.minorUnits ?? 0
            return cost(principal: principal, payments: amounts)
        }
        return cost(principal: principal, payments: lines.map(\.amount.minorUnits))
    }
}
