import DebtEngine
import DebtModel
import VaultStorage

enum ListCommand: Command {
    static let spec = CommandSpec(
        name: "list", abstract: "one line per open debt: balance, next due date and amount, status",
        usage: "vault list [--all] [--json] [--today YYYY-MM-DD]",
        discussion: "Most urgent first (overdue, in grace, due today, due soon, ok), then totals per currency.",
        options: [OptionSpec("all", "include closed and paid-off debts")],
        examples: ["vault list", "vault list --all --json"],
        takesJSON: true, takesToday: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        let all = inv.args.has("all")
        var states = inv.timings.measure("compute") { DebtCalculator.states(of: doc, asOf: today, includeClosed: all) }
        if !all { states.removeAll { $0.status == .paidOff } }
        states.sort { ($0.status.urgency, -$0.daysOverdue) < ($1.status.urgency, -$1.daysOverdue) }
        if inv.json {
            inv.out.line(JSON.array(states.map { .object(DebtJSON.fields($0)) }).render())
            return .success
        }
        if states.isEmpty {
            inv.out.line(doc.debts.isEmpty ? "no debts yet — add one with 'vault add'" : "no open debts (see closed ones with --all)")
            return .success
        }
        var table = TextTable(header: ["ID", "NAME", "KIND", "BALANCE", "NEXT DUE", "AMOUNT", "STATUS"], rightAligned: [3, 5])
        for s in states {
            table.rows.append([s.debt.id, s.debt.name, s.debt.kind.description, s.balance.groupedString + " " + s.currency.code,
                               s.nextDue?.date.description ?? "-", s.nextDue.map { $0.amount.groupedString } ?? "-", s.status.description])
        }
        inv.out.write(table.render())
        inv.out.line("")
        for (code, total) in totals(states) { inv.out.line("total \(code): \(total.groupedString)") }
        return .success
    }

    /// Balance totals per currency, in currency-code order.
    static func totals(_ states: [DebtState]) -> [(String, Money)] {
        var sums: [String: Money] = [:]
        for s in states where s.debt.isOpen {
            let current = sums[s.currency.code] ?? .zero(s.currency)
            sums[s.currency.code] = (try? current.adding(s.balance)) ?? current
        }
        return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

enum ShowCommand: Command {
    static let spec = CommandSpec(
        name: "show", abstract: "every term of one debt, its schedule with paid marks, and its payments",
        usage: "vault show <id> [--json] [--today YYYY-MM-DD]",
        arguments: [("<id>", "the debt to show (see 'vault list')")],
        examples: ["vault show loan1", "vault show card1 --json"],
        takesJSON: true, takesToday: true, maxPositionals: 1, minPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        guard let debt = doc.debt(id: id) else { throw VaultChangeError.unknownDebt(id) }
        let s = DebtCalculator.state(of: debt, payments: doc.payments(forDebt: id), asOf: today)
        if inv.json {
            inv.out.line(DebtJSON.detail(s).render())
            return .success
        }
        let values = DebtFields.values(of: debt)
        inv.out.line("\(debt.id) — \(debt.name) (\(debt.kind), \(debt.currency.code))")
        inv.out.line("")
        for f in DebtFields.all where !["id", "name", "currency"].contains(f.name) {
            if let v = values[f.name] { inv.out.write(pad("  \(f.name):", v, width: 24)) }
        }
        inv.out.line("")
        inv.out.write(pad("  status:", s.status.description + statusDetail(s), width: 24))
        inv.out.write(pad("  balance:", s.balance.groupedString, width: 24))
        inv.out.write(pad("  paid so far:", s.totalPaid.groupedString, width: 24))
        if let next = s.nextDue { inv.out.write(pad("  next due:", "\(next.amount.groupedString) on \(next.date)", width: 24)) }
        if s.overdueAmount.isPositive {
            inv.out.write(pad("  overdue:", "\(s.overdueAmount.groupedString) for \(s.daysOverdue) days", width: 24))
            inv.out.write(pad("  penalty interest:", "about \(s.penaltyInterest.groupedString) so far (estimate)", width: 24))
        }
        if s.latePenalty.isPositive { inv.out.write(pad("  late penalty:", s.latePenalty.groupedString, width: 24)) }
        if let snooze = debt.snoozedUntil, snooze > today { inv.out.write(pad("  reminders:", "snoozed until \(snooze)", width: 24)) }
        if let c = debt.closure { inv.out.write(pad("  closed:", "\(c.date) (\(c.reason))", width: 24)) }
        inv.out.line("")
        var table = TextTable(header: ["#", "DUE", "AMOUNT", "PRINCIPAL", "INTEREST", "FEE", "BALANCE AFTER", "PAID", ""],
                              rightAligned: [0, 2, 3, 4, 5, 6, 7])
        for e in s.schedule {
            let mark: String
            if e.isSettled { mark = e.settledLate ? "paid late" : "paid" } else if e.paid.isPositive { mark = "part paid" } else if e.line.effectiveDueDate < today { mark = "UNPAID" } else { mark = "" }
            table.rows.append([String(e.line.number), e.line.effectiveDueDate.description, e.line.amount.groupedString,
                               e.line.principal.groupedString, e.line.interest.groupedString, e.line.fee.groupedString,
                               e.line.balanceAfter.groupedString, e.paid.groupedString, mark + (e.line.isProjected ? " (projected)" : "")])
        }
        inv.out.line("schedule:")
        inv.out.write(table.render())
        inv.out.line("")
        if s.payments.isEmpty {
            inv.out.line("payments: none recorded")
        } else {
            inv.out.line("payments:")
            var pt = TextTable(header: ["#", "DATE", "AMOUNT", "NOTE"], rightAligned: [0, 2])
            for p in s.payments { pt.rows.append([String(p.id), p.date.description, p.amount.groupedString, p.note ?? ""]) }
            inv.out.write(pt.render())
        }
        return .success
    }

    static func statusDetail(_ s: DebtState) -> String {
        if case let .inGrace(_, payBy) = s.status { return " — pay by \(payBy) to keep it on time" }
        return ""
    }
}

enum PayCommand: Command {
    static let spec = CommandSpec(
        name: "pay", abstract: "record a repayment",
        usage: "vault pay <id> <amount> [--date YYYY-MM-DD] [--note TEXT] [--allow-overpay]",
        discussion: "Payments are applied to the oldest amount due first. The date defaults to today.",
        arguments: [("<id>", "the debt paid"), ("<amount>", "the amount, e.g. 500 or 8884.88")],
        options: [OptionSpec("date", value: "YYYY-MM-DD", "when it was paid (default: today)"),
                  OptionSpec("note", value: "TEXT", "a note (kept only inside the vault)"),
                  OptionSpec("allow-overpay", "accept a payment larger than the balance")],
        examples: ["vault pay card1 500", "vault pay loan1 8884.88 --date 2027-01-10"],
        takesJSON: true, takesToday: true, takesWait: true, maxPositionals: 2, minPositionals: 2)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        let amountText = inv.args.positionals[1]
        let today = try inv.today()
        let date = try inv.args.value("date").map { try CivilDate.parse($0, field: "date") } ?? today
        let note = inv.args.value("note")
        if date > today {
            throw CLIError.usage("a payment cannot be dated in the future (\(date) is after today, \(today))",
                                 hint: "record it when it is paid, or pass --today to act on another date", command: spec.name)
        }
        guard let (result, doc) = try inv.changeDocument({ doc -> (Change, Money) in
            guard let debt = doc.debt(id: id) else { throw VaultChangeError.unknownDebt(id) }
            let amount = try Money.parse(amountText, currency: debt.currency, field: "amount")
            guard amount.isPositive else { throw FieldError(field: "amount", value: amountText, reason: "must be greater than zero") }
            if !inv.args.has("allow-overpay") {
                let before = DebtCalculator.state(of: debt, payments: doc.payments(forDebt: id), asOf: max(date, today))
                let owed = before.amountToClear
                if amount > owed {
                    throw CLIError.usage("\(amount.groupedString) is more than what \(id) still owes (\(owed.groupedString) \(debt.currency.code))",
                                         hint: "pass --allow-overpay to record it anyway", command: spec.name)
                }
            }
            return (try doc.addPayment(debtID: id, date: date, amount: amount, note: note), amount)
        }) else { return .failure }
        let (change, amount) = result
        let debt = doc.debt(id: id)!
        let state = DebtCalculator.state(of: debt, payments: doc.payments(forDebt: id), asOf: max(date, today))
        let allocation = change.paymentID.flatMap { DebtCalculator.allocation(ofPayment: $0, in: state) }
        if inv.json {
            var fields = DebtJSON.fields(state)
            fields.append(("payment", .object([("id", .int(Int64(change.paymentID ?? 0))), ("date", DebtJSON.date(date)),
                                              ("amount", DebtJSON.money(amount)),
                                              ("applied_to", .array((allocation?.parts ?? []).map { p in
                                                  .object([("number", .int(Int64(p.number))), ("due_date", DebtJSON.date(p.dueDate)), ("amount", DebtJSON.money(p.amount))])
                                              })), ("unscheduled", DebtJSON.money(allocation?.unscheduled))])))
            inv.out.line(JSON.object(fields).render())
            return .success
        }
        inv.out.line("recorded \(amount.groupedString) \(debt.currency.code) to \(id) on \(date) (payment #\(change.paymentID ?? 0))")
        for p in allocation?.parts ?? [] { inv.out.line("  applied \(p.amount.groupedString) to installment #\(p.number) due \(p.dueDate)") }
        if let extra = allocation?.unscheduled, extra.isPositive { inv.out.line("  \(extra.groupedString) beyond the schedule (reduces the balance)") }
        if let next = state.nextDue {
            inv.out.line("still due: \(next.amount.groupedString) on \(next.date); balance \(state.balance.groupedString)")
        } else {
            inv.out.line("balance \(state.balance.groupedString) — nothing more due" + (state.status == .paidOff ? "; close it with 'vault close \(id)'" : ""))
        }
        return .success
    }
}
