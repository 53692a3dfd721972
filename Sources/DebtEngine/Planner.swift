import DebtModel

// The payoff planner: a month-by-month simulation of paying a set of debts from one monthly budget,
// following the conventions of domain.md ("Payoff plans"). Pure and in memory: the inputs are plain
// values (``PlanDebt``), "today" never appears here (months are numbered 1, 2, ...; the caller maps
// them to dates with ``PlanCalendar``). All postings are integers in minor units, rounded half up.

/// How the budget left after the minimums is directed.
public enum PlanStrategy: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The highest APR first (ties: the smaller balance).
    case avalanche
    /// The smallest current balance first (ties: the higher APR).
    case snowball
    /// The user's order; debts not named follow in avalanche order.
    case custom
    /// Minimums only: no extra, nothing rolls over. The baseline the others are compared with.
    case minimum

    /// The `--strategy` value.
    public var description: String { rawValue }
}

/// What a debt must be paid each month (before any extra).
public enum PlanMinimum: Hashable, Sendable {
    /// A fixed amount every month (capped at the balance), as in domain.md's example.
    case fixed(Int64)
    /// A card's rule applied to the balance after this month's interest.
    case rule(MinimumPaymentRule)
    /// Nothing until month `fromMonth` (1-based), then the whole balance (informal debts with a due date).
    case inFull(fromMonth: Int)
    /// Never anything (informal debts without a due date); only extra pays it.
    case none
}

/// One remaining line of a loan's or installment's own schedule, placed in a plan month.
public struct PlanLine: Hashable, Sendable {
    /// The plan month (1-based) the line falls due in; overdue lines are in month 1.
    public var month: Int
    /// Principal due on the line.
    public var principal: Int64
    /// Interest due on the line when the debt is on schedule; it scales with the actual balance when
    /// extra payments ran ahead of the schedule.
    public var interest: Int64
    /// Fee due on the line (installment fees are on the original principal: they never scale).
    public var fee: Int64
    /// The principal the schedule expects to be owed just before this line.
    public var scheduledBalanceBefore: Int64

    /// Creates a line.
    public init(month: Int, principal: Int64, interest: Int64, fee: Int64, scheduledBalanceBefore: Int64) {
        self.month = month
        self.principal = principal
        self.interest = interest
        self.fee = fee
        self.scheduledBalanceBefore = scheduledBalanceBefore
    }
}

/// A debt as the planner sees it: a balance, a rate and what must be paid each month.
///
/// Two shapes: *revolving* (no ``schedule``): interest = balance x APR / 12 each month, rounded half
/// up, and the ``minimum`` rule; *scheduled* (a loan or installment): the remaining lines of its own
/// schedule are its minimums and its interest and fees.
public struct PlanDebt: Hashable, Sendable {
    /// The debt's id (or a label such as "A").
    public var id: String
    /// The balance owed at the start, in minor units.
    public var balance: Int64
    /// The nominal APR in 10^-8 percentage points (``Rate/annualScaled``): drives a revolving debt's
    /// interest and every debt's avalanche rank.
    public var annualScaled: Int64
    /// The monthly minimum of a revolving debt (ignored when ``schedule`` is not empty).
    public var minimum: PlanMinimum
    /// Remaining lines of a loan's or installment's own schedule, in month order; empty for revolving debts.
    public var schedule: [PlanLine]
    /// The number of first months with 0% interest (a promotional period); fees still apply.
    public var promoMonths: Int
    /// Whether extra money may be put on this debt (false for installments: prepaying a 分期 usually
    /// still costs the remaining fees).
    public var acceptsExtra: Bool
    /// Paid at least this much in month 1 (an amount already due or overdue), whatever the rule says.
    public var firstMonthDue: Int64
    /// The penalty APR on an overdue amount (daily penalty rate x 365 x multiplier), in 10^-8 points.
    public var penaltyAnnualScaled: Int64
    /// The late penalty (违约金) charged once when a minimum is missed.
    public var latePenalty: LatePenaltyRule
    /// A revolving debt whose balance (after interest) is at most this much is paid in full as its
    /// minimum: the tolerance (容差), so a percentage rule never leaves cents owed forever. Default 0.
    public var settleBelow: Int64

    /// A simple plan debt: a balance, an APR and a fixed monthly minimum (domain.md's example).
    /// The penalty APR defaults to 1.5 x the APR.
    public init(id: String, balance: Int64, annualScaled: Int64, minimum: PlanMinimum) {
        self.id = id
        self.balance = balance
        self.annualScaled = annualScaled
        self.minimum = minimum
        self.schedule = []
        self.promoMonths = 0
        self.acceptsExtra = true
        self.firstMonthDue = 0
        self.penaltyAnnualScaled = annualScaled / 2 * 3
        self.latePenalty = .none
        self.settleBelow = 0
    }

    /// A simple plan debt from a rate as quoted ("24%", "0.05%/day"); `nil` for a total rate.
    public init?(id: String, balance: Int64, rate: Rate, minimum: Int64) {
        guard let annual = rate.annualScaled else { return nil }
        self.init(id: id, balance: balance, annualScaled: annual, minimum: .fixed(minimum))
    }

    /// True when the debt follows its own schedule.
    public var isScheduled: Bool { !schedule.isEmpty }
}

/// One debt in one month of a plan.
public struct PlanEntry: Hashable, Sendable {
    /// Index of the debt in the plan's ``Plan/debts``.
    public let debt: Int
    /// Interest and fees added this month.
    public let charges: Int64
    /// What was due this month (the minimum, capped at the balance, plus any arrears).
    public let minimum: Int64
    /// What the plan pays this month (minimum and extra).
    public let payment: Int64
    /// The balance after the payment.
    public let balanceAfter: Int64
}

/// One month of a plan.
public struct PlanMonth: Hashable, Sendable {
    /// 1-based month number.
    public let month: Int
    /// The debts open at the start of the month, in input order.
    public let entries: [PlanEntry]
    /// The one-off extra added to the budget this month.
    public let extra: Int64
    /// Budget (and extra) left unspent: every debt paid, or nothing left that accepts extra.
    public let unused: Int64
    /// How much the budget fell short of the minimums this month (0 normally).
    public let shortfall: Int64
    /// Total balance after the month.
    public let balanceAfter: Int64
}

/// A debt whose minimum the plan cannot pay in month 1, with what missing it costs.
public struct OverdueRisk: Hashable, Sendable {
    /// Index of the debt in ``Plan/debts``.
    public let debt: Int
    /// Its minimum this month.
    public let minimum: Int64
    /// What the budget covers of it (highest cost per day first).
    public let covered: Int64
    /// Penalty interest per day on the whole minimum if missed, in 1/10,000 of a minor unit
    /// (minimum x penalty APR / 365).
    public let costPerDayE4: Int64
    /// The one-off late penalty on the whole minimum.
    public let latePenalty: Int64

    /// The part of the minimum left unpaid.
    public var unpaid: Int64 { minimum - covered }
    /// Penalty interest per day rounded half up to the minor unit.
    public var costPerDay: Int64 { (costPerDayE4 + 5_000) / 10_000 }
}

/// A debt the plan never pays off, and what would.
public struct NeverEndingDebt: Hashable, Sendable {
    /// Index of the debt in ``Plan/debts``.
    public let debt: Int
    /// Its balance at the end of the simulation (or when it was stopped).
    public let balanceAtEnd: Int64
    /// The level monthly payment that pays it off, alone, within ``Planner/fiveYears`` months
    /// (its own interest and fees included); `nil` when no amount can (e.g. a longer fixed schedule).
    public let monthlyToEndInFiveYears: Int64?
}

/// How a plan ends; each case has a distinct `--json` `outcome` value.
public enum PlanOutcome: String, Sendable, CaseIterable {
    /// Every debt is paid off within the simulation and every month's minimums were covered.
    case debtFree = "debt_free"
    /// In at least one month the budget is below the sum of the minimums (see ``Plan/firstShortMonth``).
    case budgetBelowMinimums = "budget_below_minimums"
    /// The minimums are covered, but some debt is still owed after ``Planner/maximumMonths`` months
    /// (or grows beyond any representable amount).
    case neverEnds = "never_ends"
}

/// What the planner is asked.
public struct PlanRequest: Hashable, Sendable {
    /// The debts, all in one currency.
    public var debts: [PlanDebt]
    /// The monthly budget for all debts, in minor units.
    public var budget: Int64
    /// One-off extra payments: plan month (1-based) -> amount.
    public var extras: [Int: Int64]
    /// The strategy.
    public var strategy: PlanStrategy
    /// For ``PlanStrategy/custom``: debt ids in the order to pay them.
    public var order: [String]
    /// Stop after this many months (default ``Planner/maximumMonths``).
    public var maximumMonths: Int

    /// Creates a request.
    public init(debts: [PlanDebt], budget: Int64, strategy: PlanStrategy = .avalanche, extras: [Int: Int64] = [:],
                order: [String] = [], maximumMonths: Int = Planner.maximumMonths) {
        self.debts = debts
        self.budget = budget
        self.extras = extras
        self.strategy = strategy
        self.order = order
        self.maximumMonths = maximumMonths
    }
}

/// The result of planning one currency's debts.
public struct Plan: Hashable, Sendable {
    /// The request.
    public let request: PlanRequest
    /// The debts (as in the request).
    public var debts: [PlanDebt] { request.debts }
    /// The month-by-month schedule (empty when recording was off).
    public let months: [PlanMonth]
    /// How many months were simulated (the last month with a payment when debt free).
    public let monthCount: Int
    /// For each debt, the month it is paid off, or `nil` if never within the simulation.
    public let payoffMonths: [Int?]
    /// Interest and fees added over the whole plan.
    public let totalCharges: Int64
    /// Everything paid.
    public let totalPaid: Int64
    /// Sum of the month-1 minimums.
    public let firstMonthMinimums: Int64
    /// The first month whose budget was below its minimums, if any.
    public let firstShortMonth: Int?
    /// The shortfall of that month.
    public let firstShortfall: Int64
    /// When ``firstShortMonth`` is 1: every debt with a month-1 minimum, highest overdue cost per day
    /// first, with what the budget covers (the costliest to miss are paid first).
    public let overdueRisks: [OverdueRisk]
    /// Debts still owed at the end of the simulation.
    public let neverEnding: [NeverEndingDebt]
    /// The smallest monthly budget (in minor units, to the unit) that covers every minimum and pays
    /// everything off within ``Planner/fiveYears`` months with this strategy (avalanche for
    /// minimum-only); computed only when the outcome is not ``PlanOutcome/debtFree``.
    public let budgetToFinishInFiveYears: Int64?

    /// True when every debt was paid off.
    public var isDebtFree: Bool { payoffMonths.allSatisfy { $0 != nil } }

    /// The outcome.
    public var outcome: PlanOutcome {
        if firstShortMonth != nil { return .budgetBelowMinimums }
        return isDebtFree ? .debtFree : .neverEnds
    }

    /// The month the last debt is paid off, when all are.
    public var debtFreeMonth: Int? { isDebtFree ? (payoffMonths.compactMap { $0 }.max() ?? 0) : nil }
}

/// One strategy's result in a comparison.
public struct StrategySummary: Hashable, Sendable {
    /// The strategy.
    public let strategy: PlanStrategy
    /// The full plan (without its month rows).
    public let plan: Plan
    /// Interest saved compared with minimum-only (negative when it costs more); `nil` when either
    /// plan never ends (the totals are not comparable).
    public let chargesSavedVersusMinimum: Int64?
}

/// The payoff simulation.
public enum Planner {
    /// The simulation never runs longer than this: 100 years.
    public static let maximumMonths = 1200
    /// "Five years": the horizon for the amounts that end a never-ending plan.
    public static let fiveYears = 60

    /// Plans `request` month by month.
    ///
    /// Each month: (1) add interest = round-half-up(balance x APR / 12) to every open revolving debt
    /// (0 during its promo months), and each scheduled debt's interest (scaled to its actual balance) and
    /// fees for the lines due that month; (2) pay every debt's minimum capped at its balance (plus any
    /// minimum left unpaid earlier); when the budget is short, the minimums whose missing costs the most
    /// per day are paid first; (3) put what is left on the target debt, rolling over to the next target
    /// in the same month when one is paid off (not for minimum-only).
    /// - Parameter recordMonths: keep the month-by-month rows (off for comparisons and searches).
    public static func plan(_ request: PlanRequest, recordMonths: Bool = true) -> Plan {
        var sim = Simulation(request: request, recordMonths: recordMonths)
        sim.run()
        var neverEnding: [NeverEndingDebt] = []
        for (i, d) in request.debts.enumerated() where sim.payoff[i] == nil {
            neverEnding.append(NeverEndingDebt(debt: i, balanceAtEnd: sim.balance[i],
                                               monthlyToEndInFiveYears: monthlyToEnd(d, within: fiveYears)))
        }
        var toFinish: Int64? = nil
        if sim.firstShortMonth != nil || sim.payoff.contains(where: { $0 == nil }) {
            toFinish = budgetToFinish(request, within: fiveYears)
        }
        return Plan(request: request, months: sim.months, monthCount: sim.monthCount, payoffMonths: sim.payoff,
                    totalCharges: sim.totalCharges, totalPaid: sim.totalPaid, firstMonthMinimums: sim.firstMonthMinimums,
                    firstShortMonth: sim.firstShortMonth, firstShortfall: sim.firstShortfall, overdueRisks: sim.risks,
                    neverEnding: neverEnding, budgetToFinishInFiveYears: toFinish)
    }

    /// Runs every strategy (custom only when `request.order` is not empty) and compares each with
    /// minimum-only. Month rows are not recorded.
    public static func compare(_ request: PlanRequest) -> [StrategySummary] {
        var strategies: [PlanStrategy] = [.avalanche, .snowball]
        if !request.order.isEmpty { strategies.append(.custom) }
        strategies.append(.minimum)
        var plans: [(PlanStrategy, Plan)] = []
        for s in strategies {
            var r = request
            r.strategy = s
            plans.append((s, plan(r, recordMonths: false)))
        }
        let baseline = plans.last!.1
        return plans.map { s, p in
            let saved: Int64? = (baseline.isDebtFree && p.isDebtFree) ? baseline.totalCharges - p.totalCharges : nil
            return StrategySummary(strategy: s, plan: p, chargesSavedVersusMinimum: saved)
        }
    }

    /// The smallest level monthly payment (to the minor unit) that pays `debt` off alone within
    /// `months` months, with its own interest, fees and promo; `nil` when none can (a scheduled debt
    /// that does not accept extra and runs longer).
    public static func monthlyToEnd(_ debt: PlanDebt, within months: Int) -> Int64? {
        var single = debt
        single.minimum = .none
        single.firstMonthDue = 0
        single.acceptsExtra = true
        if single.isScheduled {
            // Keep its charges, but let the level payment decide how principal is repaid.
            single.schedule = single.schedule.map { var l = $0; l.principal = 0; return l }
        }
        func ends(_ amount: Int64) -> Bool {
            var r = PlanRequest(debts: [single], budget: amount, strategy: .avalanche, maximumMonths: months)
            r.order = []
            var sim = Simulation(request: r, recordMonths: false)
            sim.run()
            return sim.payoff[0] != nil
        }
        return smallest(satisfying: ends, from: 1)
    }

    /// The smallest budget that covers every month's minimums and pays everything off within `months`.
    static func budgetToFinish(_ request: PlanRequest, within months: Int) -> Int64? {
        var r = request
        if r.strategy == .minimum { r.strategy = .avalanche }
        r.maximumMonths = months
        func ok(_ budget: Int64) -> Bool {
            r.budget = budget
            var sim = Simulation(request: r, recordMonths: false)
            sim.run()
            return sim.firstShortMonth == nil && !sim.payoff.contains { $0 == nil }
        }
        return smallest(satisfying: ok, from: max(1, request.budget))
    }

    /// Exponential then binary search for the smallest amount in minor units where `ok` holds
    /// (assumed monotonic), up to ``Money/maximumMinorUnits``.
    static func smallest(satisfying ok: (Int64) -> Bool, from start: Int64) -> Int64? {
        var hi = max(start, 1)
        while !ok(hi) {
            if hi >= Money.maximumMinorUnits { return nil }
            hi = min(hi * 2, Money.maximumMinorUnits)
        }
        var lo: Int64 = 0  // ok(lo) is false or untested
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if ok(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }
}

/// The state of one simulation run.
struct Simulation {
    let request: PlanRequest
    let recordMonths: Bool
    var balance: [Int64]
    var arrears: [Int64]
    var lineIndex: [Int]
    var payoff: [Int?]
    var months: [PlanMonth] = []
    var monthCount = 0
    var totalCharges: Int64 = 0
    var totalPaid: Int64 = 0
    var firstMonthMinimums: Int64 = 0
    var firstShortMonth: Int?
    var firstShortfall: Int64 = 0
    var risks: [OverdueRisk] = []
    let customRank: [String: Int]

    init(request: PlanRequest, recordMonths: Bool) {
        self.request = request
        self.recordMonths = recordMonths
        balance = request.debts.map { max(0, $0.balance) }
        arrears = [Int64](repeating: 0, count: request.debts.count)
        lineIndex = [Int](repeating: 0, count: request.debts.count)
        payoff = request.debts.map { $0.balance <= 0 ? 0 : nil }
        var rank: [String: Int] = [:]
        for (k, id) in request.order.enumerated() where rank[id] == nil { rank[id] = k }
        customRank = rank
    }

    static let cap = Money.maximumMinorUnits

    mutating func run() {
        let debts = request.debts
        let n = debts.count
        guard n > 0 else { return }
        var month = 0
        while month < request.maximumMonths && payoff.contains(where: { $0 == nil }) {
            month += 1
            var entries: [PlanEntry] = []
            var charges = [Int64](repeating: 0, count: n)
            var due = [Int64](repeating: 0, count: n)
            var paid = [Int64](repeating: 0, count: n)
            var open: [Int] = []
            var grewBeyondCap = false
            // 1. Interest and fees.
            for i in 0..<n where payoff[i] == nil {
                open.append(i)
                let d = debts[i]
                let promo = month <= d.promoMonths
                var principalDue: Int64 = 0
                if d.isScheduled {
                    var k = lineIndex[i]
                    let start = balance[i]
                    // Interest follows the actual balance: scaled by actual / scheduled (1 when on schedule).
                    let reference = k < d.schedule.count ? d.schedule[k].scheduledBalanceBefore : 0
                    while k < d.schedule.count && d.schedule[k].month <= month {
                        let line = d.schedule[k]
                        if !promo && line.interest > 0 {
                            let scaled = reference == start || reference <= 0
                                ? line.interest
                                : (ExactMath.mulDivRoundHalfUp(line.interest, start, reference) ?? Simulation.cap)
                            charges[i] = saturatingAdd(charges[i], scaled)
                        }
                        charges[i] = saturatingAdd(charges[i], line.fee)
                        principalDue = saturatingAdd(principalDue, line.principal)
                        k += 1
                    }
                    lineIndex[i] = k
                } else if !promo {
                    charges[i] = ExactMath.mulDivRoundHalfUp(balance[i], d.annualScaled, Percentage.unitsPerOne * 12) ?? Simulation.cap
                }
                balance[i] = min(saturatingAdd(balance[i], charges[i]), Simulation.cap)
                if balance[i] >= Simulation.cap { grewBeyondCap = true }
                totalCharges = saturatingAdd(totalCharges, charges[i])
                // 2a. What is due.
                var minimum: Int64
                if d.isScheduled {
                    minimum = lineIndex[i] >= d.schedule.count ? balance[i] : saturatingAdd(principalDue, charges[i])
                } else {
                    switch d.minimum {
                    case let .fixed(m): minimum = m
                    case let .rule(rule): minimum = rule.minimum(on: balance[i])
                    case let .inFull(from): minimum = month >= from ? balance[i] : 0
                    case .none: minimum = 0
                    }
                    if balance[i] <= d.settleBelow && d.minimum != .none { minimum = balance[i] }
                }
                if month == 1 { minimum = max(minimum, d.firstMonthDue) }
                minimum = saturatingAdd(minimum, arrears[i])
                due[i] = min(max(0, minimum), balance[i])
            }
            // 2b. Pay the minimums (the costliest to miss first when the budget is short).
            var available = saturatingAdd(request.budget, request.extras[month] ?? 0)
            let sumDue = open.reduce(Int64(0)) { saturatingAdd($0, due[$1]) }
            if month == 1 { firstMonthMinimums = sumDue }
            var shortfall: Int64 = 0
            if sumDue > available {
                shortfall = sumDue - available
                if firstShortMonth == nil { firstShortMonth = month; firstShortfall = shortfall }
                let ranked = open.filter { due[$0] > 0 }.sorted { a, b in
                    let ca = costPerDayE4(a, due[a]), cb = costPerDayE4(b, due[b])
                    if ca != cb { return ca > cb }
                    let la = debts[a].latePenalty.penalty(onUnpaid: due[a]), lb = debts[b].latePenalty.penalty(onUnpaid: due[b])
                    if la != lb { return la > lb }
                    return a < b
                }
                for i in ranked {
                    let p = min(due[i], available)
                    paid[i] = p
                    available -= p
                    if month == 1 {
                        risks.append(OverdueRisk(debt: i, minimum: due[i], covered: p, costPerDayE4: costPerDayE4(i, due[i]),
                                                 latePenalty: debts[i].latePenalty.penalty(onUnpaid: due[i])))
                    }
                }
            } else {
                for i in open {
                    paid[i] = due[i]
                    available -= due[i]
                }
            }
            for i in open {
                arrears[i] = due[i] - paid[i]
                balance[i] -= paid[i]
            }
            // 3. The rest to the targets, rolling over in the same month.
            if request.strategy != .minimum && available > 0 {
                for i in targetOrder(open) where balance[i] > 0 && debts[i].acceptsExtra {
                    let p = min(balance[i], available)
                    paid[i] += p
                    balance[i] -= p
                    available -= p
                    if available == 0 { break }
                }
            }
            var left: Int64 = 0
            for i in open {
                if balance[i] == 0 {
                    payoff[i] = month
                    arrears[i] = 0
                }
                totalPaid = saturatingAdd(totalPaid, paid[i])
                left = saturatingAdd(left, balance[i])
                if recordMonths {
                    entries.append(PlanEntry(debt: i, charges: charges[i], minimum: due[i], payment: paid[i], balanceAfter: balance[i]))
                }
            }
            monthCount = month
            if recordMonths {
                months.append(PlanMonth(month: month, entries: entries, extra: request.extras[month] ?? 0,
                                        unused: available, shortfall: shortfall, balanceAfter: left))
            }
            if grewBeyondCap || left >= Simulation.cap { break }  // grows beyond any representable amount: it never ends
        }
    }

    func costPerDayE4(_ i: Int, _ amount: Int64) -> Int64 {
        ExactMath.mulDivRoundHalfUp(amount, request.debts[i].penaltyAnnualScaled, 365 * 1_000_000) ?? Int64.max
    }

    /// Open debts in the order extra money goes to them this month.
    func targetOrder(_ open: [Int]) -> [Int] {
        let debts = request.debts
        let month = monthCount + 1
        func rate(_ i: Int) -> Int64 { month <= debts[i].promoMonths ? 0 : debts[i].annualScaled }
        func avalanche(_ a: Int, _ b: Int) -> Bool {
            if rate(a) != rate(b) { return rate(a) > rate(b) }
            if balance[a] != balance[b] { return balance[a] < balance[b] }
            return a < b
        }
        switch request.strategy {
        case .avalanche, .minimum:
            return open.sorted(by: avalanche)
        case .snowball:
            return open.sorted { a, b in
                if balance[a] != balance[b] { return balance[a] < balance[b] }
                if rate(a) != rate(b) { return rate(a) > rate(b) }
                return a < b
            }
        case .custom:
            return open.sorted { a, b in
                let ra = customRank[debts[a].id], rb = customRank[debts[b].id]
                switch (ra, rb) {
                case let (x?, y?): return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return avalanche(a, b)
                }
            }
        }
    }
}
