import DebtModel
import Parallel

/// A debt's status as of a date, as shown by `vault list`.
public enum DebtStatus: Hashable, Sendable, CustomStringConvertible {
    /// Nothing due within the lead window.
    case ok
    /// The next amount is due in `days` days (within the debt's largest lead day).
    case dueSoon(days: Int)
    /// The next amount is due today.
    case dueToday
    /// The due date passed `daysLate` days ago but is within the grace days; pay by `payBy` to keep it on time.
    case inGrace(daysLate: Int, payBy: CivilDate)
    /// An amount is unpaid after its grace period; `days` counts from its (shifted) due date.
    case overdue(days: Int)
    /// Everything scheduled is paid (an unpaid remainder within the tolerance counts as paid).
    case paidOff
    /// The debt was closed.
    case closed

    /// Stable machine value for `--json`: "ok", "due_soon", "due_today", "in_grace", "overdue", "paid_off", "closed".
    public var code: String {
        switch self {
        case .ok: return "ok"
        case .dueSoon: return "due_soon"
        case .dueToday: return "due_today"
        case .inGrace: return "in_grace"
        case .overdue: return "overdue"
        case .paidOff: return "paid_off"
        case .closed: return "closed"
        }
    }

    /// Human label: "ok", "due soon", "due today", "in grace", "overdue 5 days", "paid off", "closed".
    public var description: String {
        switch self {
        case .ok: return "ok"
        case .dueSoon: return "due soon"
        case .dueToday: return "due today"
        case .inGrace: return "in grace"
        case let .overdue(days): return "overdue \(days) day\(days == 1 ? "" : "s")"
        case .paidOff: return "paid off"
        case .closed: return "closed"
        }
    }

    /// Urgency rank for sorting, most urgent lowest: overdue 0, in grace 1, due today 2, due soon 3, ok 4, paid off 5, closed 6.
    public var urgency: Int {
        switch self {
        case .overdue: return 0
        case .inGrace: return 1
        case .dueToday: return 2
        case .dueSoon: return 3
        case .ok: return 4
        case .paidOff: return 5
        case .closed: return 6
        }
    }
}

/// A schedule line with what has been paid against it as of the state's date.
public struct ScheduleEntry: Hashable, Sendable {
    /// The scheduled amount and its breakdown.
    public let line: ScheduleLine
    /// How much of this line is paid (payments applied to the oldest line first).
    public let paid: Money
    /// What is still unpaid on this line.
    public var unpaid: Money { Money(clamping: line.amount.minorUnits - paid.minorUnits, currency: paid.currency) }
    /// The date the line became settled (paid up to the tolerance), if it is.
    public let settledOn: CivilDate?
    /// True when the line counts as paid (its unpaid part, together with any earlier remainder,
    /// is within the tolerance).
    public var isSettled: Bool { settledOn != nil }
    /// True when settled after its grace period (a late payment).
    public let settledLate: Bool
}

/// The next amount to pay.
public struct DueAmount: Hashable, Sendable {
    /// The schedule line number.
    public let number: Int
    /// The (weekend-shifted) date it is due.
    public let date: CivilDate
    /// The amount still to pay to settle that line (including any unpaid remainder of earlier lines).
    public let amount: Money
}

/// Everything derived for one debt as of a date.
public struct DebtState: Sendable {
    /// The debt.
    public let debt: Debt
    /// The date the state is computed for ("today").
    public let asOf: CivilDate
    /// The schedule with payments applied, oldest first.
    public let schedule: [ScheduleEntry]
    /// The debt's payments up to and including ``asOf``, by date then id.
    public let payments: PaymentList
    /// Sum of all scheduled amounts.
    public let totalScheduled: Money
    /// Sum of the payments up to ``asOf``.
    public let totalPaid: Money
    /// Scheduled amounts not yet paid (principal, interest and fees still to come).
    public let remaining: Money
    /// Payments beyond everything scheduled.
    public let overpaid: Money
    /// Outstanding principal: the original principal / statement balance / amount minus the
    /// principal part of what has been paid (interest and fees are paid first within each line).
    public let balance: Money
    /// The first unsettled line, if any.
    public let nextDue: DueAmount?
    /// The amount unpaid after its grace period (0 when within the tolerance).
    public let overdueAmount: Money
    /// Days since the (shifted) due date of the oldest overdue line; 0 when nothing is overdue.
    public let daysOverdue: Int
    /// Amount whose due date has passed but is still within grace.
    public let inGraceAmount: Money
    /// Estimated penalty interest accrued so far: for each overdue line, unpaid x daily rate x
    /// multiplier x days since its due date, rounded half up per line. The daily rate is the debt's
    /// ``Debt/dailyRate`` or, when unset, its contract rate / 365.
    public let penaltyInterest: Money
    /// Estimated late penalty (违约金) per the debt's ``Debt/latePenalty`` on each overdue line's unpaid part.
    public let latePenalty: Money
    /// The status.
    public let status: DebtStatus

    /// What would settle the debt as scheduled today: the outstanding balance for cards and debts
    /// without a schedule, otherwise everything scheduled that is not yet paid (including future
    /// interest and fees). The natural limit for `vault pay` without `--allow-overpay`.
    public var amountToClear: Money {
        if case .card = debt.terms { return balance }
        return schedule.isEmpty ? balance : remaining
    }

    /// The debt's id.
    public var id: String { debt.id }
    /// The debt's currency.
    public var currency: Currency { debt.currency }
}

/// How one payment was applied to the schedule.
public struct PaymentAllocation: Hashable, Sendable {
    /// One part of the payment applied to a schedule line.
    public struct Part: Hashable, Sendable {
        /// The schedule line number.
        public let number: Int
        /// That line's due date.
        public let dueDate: CivilDate
        /// The part of the payment applied to it.
        public let amount: Money
    }
    /// The payment.
    public let payment: Payment
    /// Lines it was applied to, oldest first.
    public let parts: [Part]
    /// The part beyond everything scheduled.
    public let unscheduled: Money
}

/// Derives schedules, balances and statuses from debts and payments. Pure and deterministic:
/// "today" is always a parameter.
public enum DebtCalculator {
    /// The state of one debt as of `asOf`. Payments dated after `asOf` are ignored.
    /// - Parameter payments: the debt's payments in any order (others are ignored).
    public static func state(of debt: Debt, payments: [Payment], asOf: CivilDate) -> DebtState {
        var own = payments.filter { $0.debtID == debt.id && $0.date <= asOf }
        own.sort { ($0.date, $0.id) < ($1.date, $1.id) }
        return state(of: debt, sortedPayments: PaymentList(own), asOf: asOf)
    }

    /// States of every debt in the vault as of `asOf`, in the vault's order; payments are grouped in
    /// one pass. With `includeClosed: false`, closed debts are skipped.
    ///
    /// A large vault's debts are derived in two halves (of about equal numbers of payments) on two
    /// threads; each state depends only on its own debt and payments, so the result is the same.
    public static func states(of document: VaultDocument, asOf: CivilDate, includeClosed: Bool = true) -> [DebtState] {
        let grouped = document.paymentListsByDebt(onOrBefore: asOf)
        let chosen = document.debts.indices.filter { includeClosed || document.debts[$0].isOpen }
        func derive(_ part: ArraySlice<Int>) -> [DebtState] {
            part.map { i in state(of: document.debts[i], sortedPayments: VaultDocument.sortedByDate(grouped[i]), asOf: asOf) }
        }
        let work = chosen.reduce(0) { $0 + grouped[$1].count + 8 }
        guard chosen.count >= parallelThreshold.debts, work >= parallelThreshold.work else { return derive(chosen[...]) }
        // Split where the first half holds about half the work.
        var split = 0, done = 0
        while split < chosen.count && done * 2 < work { done += grouped[chosen[split]].count + 8; split += 1 }
        let (second, first) = Concurrently.run(background: { derive(chosen[split...]) }, foreground: { derive(chosen[..<split]) })
        return first + second
    }

    /// Below these (debts, and payments + 8 per debt) one thread is faster than starting a second.
    static let parallelThreshold = (debts: 16, work: 4000)

    /// How payment `id` was applied, computed from `state` (which must include the payment: compute the
    /// state as of a date on or after the payment's date). `nil` when the payment is not in the state.
    public static func allocation(ofPayment id: Int, in state: DebtState) -> PaymentAllocation? {
        var before: Int64 = 0
        var found: Payment?
        for p in state.payments {
            if p.id == id { found = p; break }
            before = saturatingAdd(before, p.amount.minorUnits)
        }
        guard let payment = found else { return nil }
        let c = state.currency
        let start = before, end = saturatingAdd(before, payment.amount.minorUnits)
        var parts: [PaymentAllocation.Part] = []
        var cumulative: Int64 = 0
        for entry in state.schedule {
            let lo = cumulative, hi = cumulative + entry.line.amount.minorUnits
            cumulative = hi
            let overlap = min(hi, end) - max(lo, start)
            if overlap > 0 {
                parts.append(.init(number: entry.line.number, dueDate: entry.line.effectiveDueDate, amount: Money(clamping: overlap, currency: c)))
            }
        }
        let unscheduled = max(0, end - max(start, cumulative))
        return PaymentAllocation(payment: payment, parts: parts, unscheduled: Money(clamping: unscheduled, currency: c))
    }

    static func state(of debt: Debt, sortedPayments: PaymentList, asOf: CivilDate) -> DebtState {
        let c = debt.currency
        func money(_ v: Int64) -> Money { Money(clamping: v, currency: c) }
        let lines = ScheduleBuilder.schedule(for: debt, sortedPayments: sortedPayments, asOf: asOf)
        let tolerance = debt.tolerance.minorUnits
        var paid: Int64 = 0
        for k in sortedPayments.indices { paid = saturatingAdd(paid, sortedPayments.minorUnits(at: k)) }

        // Apply payments cumulatively: line i is settled once cumulative payments reach
        // (cumulative due through line i) - tolerance.
        var entries: [ScheduleEntry] = []
        entries.reserveCapacity(lines.count)
        var cumulativeDue: Int64 = 0
        var cumulativePaid: Int64 = 0
        var paymentIndex = 0
        var principalPaid: Int64 = 0
        var firstUnsettled: Int? = nil
        var lastDueIndex = -1          // last line whose (shifted) due date is before asOf
        var lastOverdueIndex = -1      // last line whose grace period ended before asOf
        for (i, line) in lines.enumerated() {
            let previousDue = cumulativeDue
            cumulativeDue += line.amount.minorUnits
            let target = cumulativeDue - tolerance
            while cumulativePaid < target && paymentIndex < sortedPayments.count {
                cumulativePaid = saturatingAdd(cumulativePaid, sortedPayments.minorUnits(at: paymentIndex))
                paymentIndex += 1
            }
            let settledOn: CivilDate?
            if cumulativePaid >= target {
                settledOn = paymentIndex > 0 ? sortedPayments.date(at: paymentIndex - 1) : (line.amount.minorUnits <= tolerance ? line.effectiveDueDate : nil)
            } else {
                settledOn = nil
            }
            let paidOnLine = max(0, min(line.amount.minorUnits, paid - previousDue))
            principalPaid += max(0, min(line.principal.minorUnits, paidOnLine - line.interest.minorUnits - line.fee.minorUnits))
            let graceEnd = line.effectiveDueDate.adding(days: debt.graceDays) ?? line.effectiveDueDate
            let late = settledOn.map { $0 > graceEnd } ?? false
            entries.append(ScheduleEntry(line: line, paid: money(paidOnLine), settledOn: settledOn, settledLate: late))
            if settledOn == nil && firstUnsettled == nil { firstUnsettled = i }
            if line.effectiveDueDate < asOf { lastDueIndex = i }
            if graceEnd < asOf { lastOverdueIndex = i }
        }
        let totalScheduled = cumulativeDue
        let original = debt.terms.originalAmount.minorUnits
        let remaining = max(0, totalScheduled - paid)
        let overpaid = max(0, paid - totalScheduled)
        let isCard: Bool
        if case .card = debt.terms { isCard = true } else { isCard = false }
        // Cards and informal debts: the amount minus everything paid. Loans and installments: the
        // principal minus the principal part of the lines paid (interest and fees first in each line).
        let balance = max(0, (isCard || lines.isEmpty) ? original - paid : original - principalPaid)

        // Next due: the first unsettled line.
        var nextDue: DueAmount? = nil
        if let u = firstUnsettled {
            let required = lines[0...u].reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            nextDue = DueAmount(number: lines[u].number, date: lines[u].effectiveDueDate, amount: money(max(0, required - paid)))
        }

        // Overdue (after grace) and in-grace amounts.
        var overdueAmount: Int64 = 0
        var daysOverdue = 0
        var penalty: Int64 = 0
        var lateFee: Int64 = 0
        var inGrace: Int64 = 0
        if let u = firstUnsettled {
            var cumulative: Int64 = 0
            for i in 0..<lines.count {
                cumulative += lines[i].amount.minorUnits
                guard i >= u, i <= lastDueIndex else { continue }
                let unpaid = min(lines[i].amount.minorUnits, cumulative - paid)
                guard unpaid > 0 else { continue }
                if i <= lastOverdueIndex {
                    overdueAmount += unpaid
                    let days = lines[i].effectiveDueDate.days(until: asOf)
                    penalty += penaltyInterest(debt: debt, unpaid: unpaid, days: days)
                    lateFee += debt.latePenalty.penalty(onUnpaid: unpaid)
                } else {
                    inGrace += unpaid
                }
            }
            if overdueAmount <= tolerance {
                // Everything past grace is within the tolerance: it counts as paid.
                overdueAmount = 0; penalty = 0; lateFee = 0
            }
            if overdueAmount > 0 { daysOverdue = lines[u].effectiveDueDate.days(until: asOf) }
        }

        let status: DebtStatus
        if debt.closure != nil {
            status = .closed
        } else if overdueAmount > 0 {
            status = .overdue(days: daysOverdue)
        } else if let u = firstUnsettled, u <= lastDueIndex, inGrace > 0 {
            let due = lines[u].effectiveDueDate
            status = .inGrace(daysLate: due.days(until: asOf), payBy: due.adding(days: debt.graceDays) ?? due)
        } else if lines.isEmpty ? balance == 0 : (firstUnsettled == nil && (!isCard || balance <= tolerance)) {
            status = .paidOff
        } else if let next = nextDue {
            let days = asOf.days(until: next.date)
            if days <= 0 {
                status = .dueToday
            } else if days <= (debt.leadDays.max() ?? 0) {
                status = .dueSoon(days: days)
            } else {
                status = .ok
            }
        } else {
            status = .ok
        }

        return DebtState(
            debt: debt, asOf: asOf, schedule: entries, payments: sortedPayments,
            totalScheduled: money(totalScheduled), totalPaid: money(paid), remaining: money(remaining),
            overpaid: money(overpaid), balance: money(balance), nextDue: nextDue,
            overdueAmount: money(overdueAmount), daysOverdue: daysOverdue, inGraceAmount: money(inGrace),
            penaltyInterest: money(penalty), latePenalty: money(lateFee), status: status)
    }

    /// unpaid x daily rate x multiplier x days, rounded half up.
    static func penaltyInterest(debt: Debt, unpaid: Int64, days: Int) -> Int64 {
        guard days > 0, unpaid > 0 else { return 0 }
        let rate: Rate?
        if let daily = debt.dailyRate {
            rate = daily
        } else {
            switch debt.terms {
            case let .loan(t): rate = t.rate
            case let .informal(t): rate = t.rate
            case let .installment(t): rate = t.fee.period == .total ? nil : t.fee
            case .card: rate = Debt.defaultCardDailyRate
            }
        }
        guard let ratio = rate?.dailyRatio, ratio.numerator > 0 else { return 0 }
        let (unpaidDays, o1) = unpaid.multipliedReportingOverflow(by: Int64(days))
        let (rateTimesMultiplier, o2) = ratio.numerator.multipliedReportingOverflow(by: Int64(debt.penaltyMultiplier.thousandths))
        guard !o1, !o2 else { return Money.maximumMinorUnits }
        let divisor = Percentage.unitsPerOne * 1000 * ratio.denominator
        return min(ExactMath.mulDivRoundHalfUp(unpaidDays, rateTimesMultiplier, divisor) ?? Money.maximumMinorUnits, Money.maximumMinorUnits)
    }
}
