import DebtEngine
import DebtModel

/// `vault plan`: a repayment plan for the open debts from a monthly budget, a comparison of
/// strategies, or the lump sum versus installments question for one card balance.
/// All the work is DebtEngine's ``Planner``; this file parses options and prints.
enum PlanCommand: Command {
    static let spec = CommandSpec(
        name: "plan", abstract: "a repayment plan from your budget: debt-free date, interest, month by month",
        usage: "vault plan [--budget AMOUNT] [--strategy avalanche|snowball|custom|minimum] [--order ID,...] [--extra AMOUNT@YYYY-MM ...] [--compare] [--months N] [--csv | --json]\n       vault plan --lump-sum-vs-installments ID [--fee MONTHS:RATE ...] [--json]",
        discussion: """
        The plan starts from the balances as of --today and is derived from the vault every time, so it
        follows every payment and edit. Each month: interest is added first (rounded half up), then every
        minimum is paid (loans and installments follow their own schedules; cards their minimum rule and
        daily rate, APR = 365 x daily; 0% during a promo set with 'vault edit ID --promo-until DATE'),
        then the rest of the budget goes to the target debt, rolling over in the same month.
          avalanche  highest APR first (the least interest)
          snowball   smallest balance first
          custom     the order given with --order (others follow, highest APR first)
          minimum    minimums only: the baseline
        The budget is --budget, else the stored income minus expenses ('vault budget'). Debts in other
        currencies are planned separately (--budget CODE=AMOUNT for them). When the budget is below this
        month's minimums, or a debt would never be paid off, the plan says so (docs/plans.md).
        """,
        options: [
            OptionSpec("budget", value: "AMOUNT", repeatable: true, "the monthly budget for all debts (CODE=AMOUNT for another currency)"),
            OptionSpec("strategy", value: "NAME", "avalanche (default), snowball, custom or minimum"),
            OptionSpec("order", value: "ID,...", "the order for --strategy custom"),
            OptionSpec("extra", value: "AMOUNT@YYYY-MM", repeatable: true, "a one-off extra payment in that month (repeatable)"),
            OptionSpec("compare", "compare every strategy: months, debt-free date, interest, saved versus minimum-only"),
            OptionSpec("months", value: "N", "print only the first N months of the schedule (the plan is computed in full)"),
            OptionSpec("csv", "print the schedule as CSV"),
            OptionSpec("lump-sum-vs-installments", value: "ID", "for a card balance: pay in full, minimum only, or 3/6/12-month installments"),
            OptionSpec("fee", value: "MONTHS:RATE", repeatable: true, "an installment offer for --lump-sum-vs-installments, e.g. 6:4.5% (total) or 12:0.6%/month (default 3:2.5% 6:4.5% 12:8.8%)"),
        ],
        examples: ["vault plan --budget 800", "vault plan --compare", "vault plan --strategy snowball --extra 1000@2027-03 --months 12",
                   "vault plan --strategy custom --order card2,card1 --json", "vault plan --lump-sum-vs-installments card1"],
        takesJSON: true, takesToday: true)

    /// A never-ending plan prints this many months unless --months says otherwise.
    static let neverEndingRows = 24

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let a = inv.args
        if a.has("csv") && inv.json { throw CLIError.usage("--csv and --json cannot be combined", command: spec.name) }
        if let id = a.value("lump-sum-vs-installments") {
            for other in ["budget", "strategy", "order", "extra", "months"] where a.value(other) != nil {
                throw CLIError.usage("--lump-sum-vs-installments cannot be combined with --\(other)", command: spec.name)
            }
            if a.has("compare") || a.has("csv") { throw CLIError.usage("--lump-sum-vs-installments cannot be combined with --\(a.has("compare") ? "compare" : "csv")", command: spec.name) }
            return try LumpSumReport.run(inv, id: id)
        }
        if a.value("fee") != nil { throw CLIError.usage("--fee goes with --lump-sum-vs-installments ID", command: spec.name) }
        // Validate everything that does not need the vault before asking for a passphrase.
        let strategy = try parseStrategy(a.value("strategy"))
        let order = a.value("order").map { $0.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } } ?? []
        if strategy == .custom && order.isEmpty { throw CLIError.usage("--strategy custom needs --order ID,ID,...", command: spec.name) }
        if !order.isEmpty && strategy != .custom && !a.has("compare") {
            throw CLIError.usage("--order goes with --strategy custom", hint: "add --strategy custom", command: spec.name)
        }
        if a.has("compare") && a.value("strategy") != nil { throw CLIError.usage("--compare runs every strategy; drop --strategy", command: spec.name) }
        if a.has("compare") && a.has("csv") { throw CLIError.usage("--compare prints a table or --json, not --csv", command: spec.name) }
        let rowLimit = try a.value("months").map { text -> Int in
            guard text.allSatisfy(\.isASCII), let n = Int(text), n >= 0 else {
                throw FieldError(field: "months", value: text, reason: "must be a whole number of months")
            }
            return n
        }
        let budgetTexts = try a.values("budget").map { try splitCurrency($0, field: "budget") }
        let extraTexts = try a.values("extra").map { text -> (String?, String, String) in
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw FieldError(field: "extra", value: text, reason: "must be AMOUNT@YYYY-MM, e.g. 1000@2027-03") }
            let (code, amount) = try splitCurrency(String(parts[0]), field: "extra")
            return (code, amount, String(parts[1]))
        }
        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        let settings = doc.settings
        let calendar = PlanCalendar(today: today, payday: settings.payday)
        let inputs = inv.timings.measure("compute") {
            VaultPlanInputs(states: DebtCalculator.states(of: doc, asOf: today, includeClosed: false), calendar: calendar)
        }
        let known = Set(inputs.groups.flatMap { $0.debts.map(\.id) })
        for id in order where !known.contains(id) {
            throw CLIError.usage("--order names '\(id)', which is not an open debt", hint: "see 'vault list'", command: spec.name)
        }

        // Budgets and extras per currency: a bare amount is in the stored budget's currency, else the vault's.
        let stored = BudgetCommand.available(settings)
        let primary = stored?.currency ?? settings.defaultCurrency
        var budgets: [String: (Money, String)] = [:]
        for (code, text) in budgetTexts {
            let c = try code.map { try Currency(code: $0, field: "budget") } ?? primary
            if budgets[c.code] != nil { throw CLIError.usage("--budget for \(c.code) was given twice", command: spec.name) }
            budgets[c.code] = (try Money.parse(text, currency: c, field: "budget"), "option")
        }
        if let stored, budgets[stored.currency.code] == nil, budgetTexts.isEmpty {
            budgets[stored.currency.code] = (stored, "settings")
        }
        var extras: [String: [Int: Int64]] = [:]
        for (code, amountText, monthText) in extraTexts {
            let c = try code.map { try Currency(code: $0, field: "extra") } ?? primary
            let amount = try Money.parse(amountText, currency: c, field: "extra")
            guard let k = try parseMonth(monthText, calendar: calendar) else {
                throw FieldError(field: "extra", value: "\(amountText)@\(monthText)", reason: "is before this month (\(calendar.label(ofMonth: 1)))")
            }
            extras[c.code, default: [:]][k, default: 0] += amount.minorUnits
        }

        if inputs.groups.isEmpty {
            if inv.json { inv.out.line(JSON.object([("today", DebtJSON.date(today)), ("plans", .array([])), ("notes", .array([.string("no open debts")]))]).render()) }
            else if !a.has("csv") { inv.out.line("no open debts to plan — add one with 'vault add'") }
            return .success
        }
        if budgets.isEmpty && strategy != .minimum && !a.has("compare") || (a.has("compare") && budgets.isEmpty) {
            throw CLIError.usage("no budget: give --budget AMOUNT (a month, for all debts)",
                                 hint: "or store one with 'vault budget --income A --expenses B'", command: spec.name)
        }
        for code in budgets.keys where !inputs.groups.contains(where: { $0.currency.code == code }) {
            inv.err.line("note: no open debts in \(code); its budget is not used")
        }

        var notes: [String] = []
        if inputs.groups.count > 1 {
            notes.append("debts in \(inputs.groups.map(\.currency.code).joined(separator: ", ")) are planned separately, one currency at a time (no exchange)")
        }
        var reports: [CurrencyPlan] = []
        for g in inputs.groups {
            let budget = budgets[g.currency.code]
            var request = PlanRequest(debts: g.debts, budget: budget?.0.minorUnits ?? 0, strategy: strategy,
                                      extras: extras[g.currency.code] ?? [:],
                                      order: order.filter { id in g.debts.contains { $0.id == id } })
            if budget == nil {
                // No budget in this currency: minimums only, never short.
                request.strategy = .minimum
                request.budget = Money.maximumMinorUnits
                notes.append("no budget in \(g.currency.code): its debts are shown paying minimums only (give --budget \(g.currency.code)=AMOUNT)")
            }
            reports.append(CurrencyPlan(currency: g.currency, states: g.states, request: request, budget: budget?.0, budgetSource: budget?.1 ?? "none",
                                        calendar: calendar))
        }

        if a.has("compare") {
            return PlanPrinter.compare(inv, reports: reports, notes: notes, today: today)
        }
        return PlanPrinter.plans(inv, reports: reports, notes: notes, today: today, rowLimit: rowLimit)
    }

    static func parseStrategy(_ text: String?) throws -> PlanStrategy {
        guard let text else { return .avalanche }
        guard let s = PlanStrategy(rawValue: text) else {
            throw CLIError.usage("unknown strategy '\(text)'", hint: "use avalanche, snowball, custom or minimum", command: spec.name)
        }
        return s
    }

    /// "800" -> (nil, "800"); "USD=500" -> ("USD", "500").
    static func splitCurrency(_ text: String, field: String) throws -> (String?, String) {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        if parts.count == 1 { return (nil, text) }
        guard parts.count == 2 else { throw FieldError(field: field, value: text, reason: "must be AMOUNT or CODE=AMOUNT") }
        return (String(parts[0]), String(parts[1]))
    }

    /// "YYYY-MM" -> plan month (nil when before today's month).
    static func parseMonth(_ text: String, calendar: PlanCalendar) throws -> Int? {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}/) != nil, let y = Int(text.prefix(4)), let m = Int(text.suffix(2)), (1...12).contains(m) else {
            throw FieldError(field: "extra", value: text, reason: "the month must be YYYY-MM, e.g. 2027-03")
        }
        guard let k = calendar.month(year: y, month: m) else { return nil }
        guard k <= Planner.maximumMonths else { throw FieldError(field: "extra", value: text, reason: "is more than 100 years ahead") }
        return k
    }
}

extension ParsedArguments {
    /// Every value of a repeatable option, in order.
    func values(_ name: String) -> [String] { values[name] ?? [] }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}

/// One currency's plan request with what is needed to print it.
struct CurrencyPlan {
    let currency: Currency
    let states: [DebtState]
    let request: PlanRequest
    let budget: Money?
    let budgetSource: String
    let calendar: PlanCalendar

    func money(_ v: Int64) -> Money { Money(clamping: v, currency: currency) }
    func name(_ i: Int) -> String { states[i].debt.name }
    func apr(_ d: PlanDebt) -> String {
        if let p = Percentage(scaled: d.annualScaled), d.annualScaled % 1_000_000 == 0 { return p.description }
        return Finance.percentString(Double(d.annualScaled) / Double(Percentage.unitsPerOne)) + "%"
    }
    func monthText(_ k: Int) -> String { calendar.label(ofMonth: k) }
}

/// Text, JSON and CSV output of plans.
enum PlanPrinter {
    static func plans(_ inv: Invocation, reports: [CurrencyPlan], notes: [String], today: CivilDate, rowLimit: Int?) -> ExitStatus {
        let planned = inv.timings.measure("plan") { reports.map { ($0, Planner.plan($0.request)) } }
        func rows(_ plan: Plan) -> Int {
            if let rowLimit { return min(rowLimit, plan.months.count) }
            return plan.isDebtFree ? plan.months.count : min(PlanCommand.neverEndingRows, plan.months.count)
        }
        if inv.args.has("csv") {
            inv.out.line("currency,month,date,debt,interest_and_fees,minimum,payment,balance_after")
            for (r, plan) in planned {
                for m in plan.months.prefix(rows(plan)) {
                    let date = r.calendar.date(ofMonth: m.month)
                    for e in m.entries {
                        inv.out.line([r.currency.code, String(m.month), date.description, plan.debts[e.debt].id,
                                      r.money(e.charges).decimalString, r.money(e.minimum).decimalString,
                                      r.money(e.payment).decimalString, r.money(e.balanceAfter).decimalString].joined(separator: ","))
                    }
                }
            }
            for n in notes { inv.err.line("note: \(n)") }
            return .success
        }
        if inv.json {
            inv.out.line(JSON.object([("today", DebtJSON.date(today)),
                                      ("plans", .array(planned.map { json($0.0, $0.1, rows: rows($0.1)) })),
                                      ("notes", .array(notes.map { .string($0) }))]).render())
            return .success
        }
        let out = inv.out
        for n in notes { out.line("note: \(n)") }
        if !notes.isEmpty { out.line("") }
        for (k, (r, plan)) in planned.enumerated() {
            if k > 0 { out.line(""); out.line(String(repeating: "-", count: 60)); out.line("") }
            text(out, r, plan, rows: rows(plan))
        }
        return .success
    }

    static func headline(_ r: CurrencyPlan, _ plan: Plan) -> String {
        let c = r.currency.code
        if r.budget == nil { return "\(c): minimum payments only (no budget in \(c))" }
        let source = r.budgetSource == "settings" ? " (income minus expenses, 'vault budget')" : ""
        return "\(c) plan: \(plan.request.strategy), budget \(r.budget!.groupedString) \(c) a month\(source)"
    }

    /// The plain-words outcome: one or more lines.
    static func outcomeLines(_ r: CurrencyPlan, _ plan: Plan) -> [String] {
        var lines: [String] = []
        let c = r.currency.code
        if let k = plan.debtFreeMonth {
            lines.append("debt-free in \(k) month\(k == 1 ? "" : "s"): \(r.calendar.date(ofMonth: k)) (\(r.monthText(k)))")
        }
        if let short = plan.firstShortMonth {
            if short == 1 {
                lines.append("the budget \(r.budget?.groupedString ?? "") is \(r.money(plan.firstShortfall).groupedString) \(c) short of this month's minimums (\(r.money(plan.firstMonthMinimums).groupedString))")
                let overdue = plan.overdueRisks.filter { $0.unpaid > 0 }
                lines.append("missing a minimum costs most per day on: " + plan.overdueRisks.map {
                    "\(plan.debts[$0.debt].id) (\(r.money($0.costPerDay).groupedString)/day" + ($0.latePenalty > 0 ? " + \(r.money($0.latePenalty).groupedString) late penalty" : "") + ")"
                }.joined(separator: ", ") + " — the plan pays those first")
                lines.append("would go overdue: " + overdue.map { "\(plan.debts[$0.debt].id) (\(r.money($0.unpaid).groupedString) unpaid)" }.joined(separator: ", "))
            } else {
                lines.append("in \(r.monthText(short)) (month \(short)) the minimums exceed the budget by \(r.money(plan.firstShortfall).groupedString) \(c)")
            }
        }
        for n in plan.neverEnding {
            let id = plan.debts[n.debt].id
            let five = n.monthlyToEndInFiveYears.map { "\(r.money($0).groupedString) a month would pay it off within 5 years" } ?? "no level payment pays it off within 5 years"
            lines.append("\(id) is never paid off at this budget (still \(r.money(n.balanceAtEnd).groupedString) after \(plan.monthCount) months); \(five)")
        }
        if let b = plan.budgetToFinishInFiveYears, r.budget != nil {
            lines.append("a budget of \(r.money(b).groupedString) \(c) a month would cover every month's minimums and pay everything off within 5 years")
        }
        lines.append("total interest and fees: \(r.money(plan.totalCharges).groupedString) \(c)" + (plan.isDebtFree ? "" : " over the \(plan.monthCount) months simulated"))
        return lines
    }

    static func text(_ out: OutputStream, _ r: CurrencyPlan, _ plan: Plan, rows: Int) {
        out.line(headline(r, plan))
        for l in outcomeLines(r, plan) { out.line("  " + l) }
        out.line("")
        var debts = TextTable(header: ["ID", "NAME", "KIND", "BALANCE", "APR", "PAID OFF"], rightAligned: [3, 4])
        for (i, d) in plan.debts.enumerated() {
            let payoff = plan.payoffMonths[i].map { "month \($0) (\(r.monthText($0)))" } ?? "never"
            debts.rows.append([d.id, r.name(i), r.states[i].debt.kind.description, r.money(d.balance).groupedString, r.apr(d), payoff])
        }
        out.write(debts.render())
        guard rows > 0 else { return }
        out.line("")
        var header = ["MONTH", "DATE"] + plan.debts.map(\.id) + ["INTEREST", "PAID", "LEFT"]
        if plan.months.contains(where: { $0.shortfall > 0 }) { header.append("SHORT") }
        var table = TextTable(header: header, rightAligned: Set(0..<header.count).subtracting([1]))
        for m in plan.months.prefix(rows) {
            var cells = [String(m.month), r.calendar.date(ofMonth: m.month).description]
            var byDebt = [String](repeating: "", count: plan.debts.count)
            var charges: Int64 = 0, paid: Int64 = 0
            for e in m.entries {
                byDebt[e.debt] = r.money(e.payment).groupedString
                charges += e.charges
                paid += e.payment
            }
            cells += byDebt
            cells += [r.money(charges).groupedString, r.money(paid).groupedString, r.money(m.balanceAfter).groupedString]
            if header.last == "SHORT" { cells.append(m.shortfall > 0 ? r.money(m.shortfall).groupedString : "") }
            table.rows.append(cells)
        }
        out.write(table.render())
        if rows < plan.months.count {
            out.line("(\(plan.months.count - rows) more month\(plan.months.count - rows == 1 ? "" : "s"); --months N to see more, --json or --csv for all)")
        }
    }

    static func json(_ r: CurrencyPlan, _ plan: Plan, rows: Int) -> JSON {
        let m = r.money
        var charges = [Int64](repeating: 0, count: plan.debts.count)
        var firstMinimum = [Int64](repeating: 0, count: plan.debts.count)
        for month in plan.months {
            for e in month.entries {
                charges[e.debt] += e.charges
                if month.month == 1 { firstMinimum[e.debt] = e.minimum }
            }
        }
        let debtFree = plan.debtFreeMonth
        var fields: [(String, JSON)] = [
            ("currency", .string(r.currency.code)), ("strategy", .string(plan.request.strategy.rawValue)),
            ("order", .array(plan.request.order.map { .string($0) })),
            ("budget", DebtJSON.money(r.budget)), ("budget_source", .string(r.budgetSource)),
            ("outcome", .string(plan.outcome.rawValue)),
            ("message", .string(outcomeLines(r, plan).joined(separator: "; "))),
            ("months", debtFree.map { .int(Int64($0)) } ?? .null),
            ("debt_free_date", debtFree.map { .string(r.calendar.date(ofMonth: $0).description) } ?? .null),
            ("months_simulated", .int(Int64(plan.monthCount))),
            ("total_interest_and_fees", .string(m(plan.totalCharges).decimalString)),
            ("total_paid", .string(m(plan.totalPaid).decimalString)),
            ("first_month_minimums", .string(m(plan.firstMonthMinimums).decimalString)),
        ]
        if let short = plan.firstShortMonth {
            fields.append(("shortfall", .object([("month", .int(Int64(short))), ("date", .string(r.calendar.date(ofMonth: short).description)),
                                                 ("amount", .string(m(plan.firstShortfall).decimalString))])))
        } else {
            fields.append(("shortfall", .null))
        }
        fields.append(("overdue_first", .array(plan.overdueRisks.map { o in
            .object([("id", .string(plan.debts[o.debt].id)), ("minimum", .string(m(o.minimum).decimalString)),
                     ("covered", .string(m(o.covered).decimalString)), ("unpaid", .string(m(o.unpaid).decimalString)),
                     ("cost_per_day", .string(m(o.costPerDay).decimalString)), ("late_penalty", .string(m(o.latePenalty).decimalString))])
        })))
        fields.append(("never_ending", .array(plan.neverEnding.map { n in
            .object([("id", .string(plan.debts[n.debt].id)), ("balance_at_end", .string(m(n.balanceAtEnd).decimalString)),
                     ("monthly_to_end_in_5_years", n.monthlyToEndInFiveYears.map { .string(m($0).decimalString) } ?? .null)])
        })))
        fields.append(("budget_to_finish_in_5_years", plan.budgetToFinishInFiveYears.map { .string(m($0).decimalString) } ?? .null))
        fields.append(("debts", .array(plan.debts.enumerated().map { i, d in
            .object([("id", .string(d.id)), ("name", .string(r.name(i))), ("kind", .string(r.states[i].debt.kind.description)),
                      ("balance", .string(m(d.balance).decimalString)), ("apr", .string(r.apr(d).replacing("%", with: ""))),
                      ("promo_months", .int(Int64(d.promoMonths))), ("accepts_extra", .bool(d.acceptsExtra)),
                      ("first_month_minimum", .string(m(firstMinimum[i]).decimalString)),
                      ("interest_and_fees", .string(m(charges[i]).decimalString)),
                      ("payoff_month", plan.payoffMonths[i].map { .int(Int64($0)) } ?? .null),
                      ("payoff_date", plan.payoffMonths[i].map { .string(r.calendar.date(ofMonth: $0).description) } ?? .null)])
        })))
        fields.append(("schedule", .array(plan.months.prefix(rows).map { month in
            var paid: Int64 = 0, ch: Int64 = 0
            for e in month.entries { paid += e.payment; ch += e.charges }
            return .object([("month", .int(Int64(month.month))), ("date", .string(r.calendar.date(ofMonth: month.month).description)),
                            ("payments", .array(month.entries.map { e in
                                .object([("id", .string(plan.debts[e.debt].id)), ("interest_and_fees", .string(m(e.charges).decimalString)),
                                         ("minimum", .string(m(e.minimum).decimalString)), ("payment", .string(m(e.payment).decimalString)),
                                         ("balance_after", .string(m(e.balanceAfter).decimalString))])
                            })),
                            ("interest_and_fees", .string(m(ch).decimalString)), ("total_payment", .string(m(paid).decimalString)),
                            ("extra", .string(m(month.extra).decimalString)), ("unused", .string(m(month.unused).decimalString)),
                            ("shortfall", .string(m(month.shortfall).decimalString)), ("balance_after", .string(m(month.balanceAfter).decimalString))])
        })))
        fields.append(("schedule_truncated", .bool(rows < plan.months.count)))
        return .object(fields)
    }

    static func compare(_ inv: Invocation, reports: [CurrencyPlan], notes: [String], today: CivilDate) -> ExitStatus {
        let compared = reports.map { ($0, $0.budget == nil ? [] : Planner.compare($0.request)) }
        if inv.json {
            inv.out.line(JSON.object([("today", DebtJSON.date(today)), ("comparisons", .array(compared.map { r, list in
                .object([("currency", .string(r.currency.code)), ("budget", DebtJSON.money(r.budget)), ("budget_source", .string(r.budgetSource)),
                         ("strategies", .array(list.map { s in
                             let k = s.plan.debtFreeMonth
                             return .object([("strategy", .string(s.strategy.rawValue)), ("outcome", .string(s.plan.outcome.rawValue)),
                                             ("months", k.map { .int(Int64($0)) } ?? .null),
                                             ("debt_free_date", k.map { .string(r.calendar.date(ofMonth: $0).description) } ?? .null),
                                             ("total_interest_and_fees", .string(r.money(s.plan.totalCharges).decimalString)),
                                             ("interest_saved_vs_minimum", s.chargesSavedVersusMinimum.map { .string(r.money($0).decimalString) } ?? .null)])
                         }))])
            })), ("notes", .array(notes.map { .string($0) }))]).render())
            return .success
        }
        let out = inv.out
        for n in notes { out.line("note: \(n)") }
        if !notes.isEmpty { out.line("") }
        for (k, (r, list)) in compared.enumerated() {
            if k > 0 { out.line("") }
            guard let budget = r.budget else {
                out.line("\(r.currency.code): no budget — nothing to compare (give --budget \(r.currency.code)=AMOUNT)")
                continue
            }
            out.line("\(r.currency.code): budget \(budget.groupedString) a month, \(r.states.count) debt\(r.states.count == 1 ? "" : "s")")
            var table = TextTable(header: ["STRATEGY", "MONTHS", "DEBT-FREE", "TOTAL INTEREST", "SAVED VS MINIMUM", "NOTE"], rightAligned: [1, 3, 4])
            for s in list {
                let months = s.plan.debtFreeMonth
                var note = ""
                if let short = s.plan.firstShortMonth {
                    note = "budget short in \(r.monthText(short))"
                } else if !s.plan.isDebtFree {
                    note = "never ends"
                }
                table.rows.append([s.strategy.rawValue, months.map(String.init) ?? "-", months.map { r.calendar.date(ofMonth: $0).description } ?? "never",
                                   r.money(s.plan.totalCharges).groupedString + (s.plan.isDebtFree ? "" : "+"),
                                   s.chargesSavedVersusMinimum.map { r.money($0).groupedString } ?? "-", note])
            }
            out.write(table.render())
            if let first = list.first, first.plan.outcome != .debtFree {
                for l in outcomeLines(r, first.plan) { out.line("  " + l) }
            }
        }
        return .success
    }
}

/// `vault plan --lump-sum-vs-installments ID`.
enum LumpSumReport {
    static func run(_ inv: Invocation, id: String) throws -> ExitStatus {
        let offers = try inv.args.values("fee").map(parseFee)
        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        guard let debt = doc.debt(id: id) else { throw VaultChangeError.unknownDebt(id) }
        guard case let .card(terms) = debt.terms else {
            throw CLIError.usage("\(id) is a \(debt.kind); --lump-sum-vs-installments compares options for a card or revolving line balance",
                                 command: PlanCommand.spec.name)
        }
        let state = DebtCalculator.state(of: debt, payments: doc.payments(forDebt: id), asOf: today)
        let c = debt.currency
        func m(_ v: Int64) -> Money { Money(clamping: v, currency: c) }
        guard state.balance.isPositive else {
            inv.out.line("\(id) has nothing left to pay")
            return .success
        }
        let dailyRate = debt.dailyRate ?? Debt.defaultCardDailyRate
        let chosen = offers.isEmpty ? LumpSumComparison.defaultOffers.map { (months: $0.months, pricing: InstallmentOffer.Pricing.totalFee($0.fee)) } : offers
        let cmp = LumpSumComparison(balance: state.balance.minorUnits, annualScaled: dailyRate.annualScaled ?? 0, minimum: terms.minimumPayment,
                                    tolerance: debt.tolerance.minorUnits, offers: chosen, currency: c)
        func label(_ o: LumpSumComparison.Option) -> String {
            switch o.kind {
            case "full": return "pay in full now"
            case "minimum": return "minimum only"
            default:
                switch o.offer?.pricing {
                case let .totalFee(f)?: return "\(o.months ?? 0) installments, \(f) total fee"
                case let .feePerMonth(f)?: return "\(o.months ?? 0) installments, \(f)/month fee"
                default: return "\(o.months ?? 0) installments"
                }
            }
        }
        if inv.json {
            inv.out.line(JSON.object([
                ("id", .string(id)), ("currency", .string(c.code)), ("balance", DebtJSON.money(state.balance)),
                ("daily_rate", .string(dailyRate.description)), ("minimum_rule", .string(terms.minimumPayment.description)),
                ("options", .array(cmp.options.map { o in
                    var f: [(String, JSON)] = [("option", .string(o.kind)), ("label", .string(label(o))),
                                               ("months", o.months.map { .int(Int64($0)) } ?? .null),
                                               ("first_payment", DebtJSON.money(m(o.firstPayment))),
                                               ("cost", DebtJSON.money(m(o.cost))), ("total_paid", DebtJSON.money(m(o.totalPaid)))]
                    if let offer = o.offer {
                        f.append(("pricing", AprCommand.pricingJSON(offer.pricing, currency: c)))
                        f += AprCommand.costJSON(offer)
                    }
                    return .object(f)
                })),
            ]).render())
            return .success
        }
        inv.out.line("\(id): \(state.balance.groupedString) \(c.code) at \(dailyRate) (APR \(Finance.percentString(dailyRate.apr?.fraction ?? 0))%), minimum \(terms.minimumPayment)")
        inv.out.line("")
        var table = TextTable(header: ["OPTION", "MONTHS", "FIRST PAYMENT", "COST", "TOTAL PAID", "APR"], rightAligned: [1, 2, 3, 4, 5])
        for o in cmp.options {
            let apr = o.offer?.cost.map { Finance.percentString($0.apr) + "%" } ?? (o.kind == "minimum" ? Finance.percentString(dailyRate.apr?.fraction ?? 0) + "%" : "0%")
            table.rows.append([label(o), o.months.map(String.init) ?? "never", m(o.firstPayment).groupedString,
                               m(o.cost).groupedString, m(o.totalPaid).groupedString, apr])
        }
        inv.out.write(table.render())
        inv.out.line("")
        inv.out.line("paying in full by the due date costs nothing; installment fees are on the original amount, so their real APR is about 1.8x the quoted monthly rate x 12")
        return .success
    }

    /// "6:4.5%" (total fee), "6:4.5%/total", "12:0.6%/month".
    static func parseFee(_ text: String) throws -> (months: Int, pricing: InstallmentOffer.Pricing) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        func fail() -> FieldError { FieldError(field: "fee", value: text, reason: "must be MONTHS:RATE, e.g. 6:4.5% (total fee) or 12:0.6%/month") }
        guard parts.count == 2, parts[0].allSatisfy(\.isASCII), let months = Int(parts[0]), (1...600).contains(months) else { throw fail() }
        let rateText = String(parts[1])
        if rateText.hasSuffix("/month") {
            return (months, .feePerMonth(try Percentage.parse(String(rateText.dropLast(6)), field: "fee")))
        }
        let body = rateText.hasSuffix("/total") ? String(rateText.dropLast(6)) : rateText
        guard !body.contains("/") else { throw fail() }
        return (months, .totalFee(try Percentage.parse(body, field: "fee")))
    }
}
