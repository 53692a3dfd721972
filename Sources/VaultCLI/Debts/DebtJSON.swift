import DebtEngine
import DebtModel

/// The documented JSON shapes of debts (docs/cli.md): snake_case keys, amounts as decimal
/// strings, dates as YYYY-MM-DD.
enum DebtJSON {
    static func money(_ m: Money?) -> JSON { m.map { .string($0.decimalString) } ?? .null }
    static func date(_ d: CivilDate?) -> JSON { d.map { .string($0.description) } ?? .null }

    /// The fields `vault list --json` prints for each debt.
    static func fields(_ s: DebtState) -> [(String, JSON)] {
        [
            ("id", .string(s.debt.id)), ("name", .string(s.debt.name)), ("kind", .string(s.debt.kind.description)),
            ("currency", .string(s.currency.code)), ("balance", money(s.balance)),
            ("next_due_date", date(s.nextDue?.date)), ("next_due_amount", money(s.nextDue?.amount)),
            ("status", .string(s.status.code)), ("status_text", .string(s.status.description)),
            ("days_overdue", .int(Int64(s.daysOverdue))), ("overdue_amount", money(s.overdueAmount)),
            ("penalty_interest", money(s.penaltyInterest)), ("late_penalty", money(s.latePenalty)),
            ("total_paid", money(s.totalPaid)), ("closed", date(s.debt.closure?.date)),
        ]
    }

    static func summary(_ debt: Debt, document: VaultDocument, today: CivilDate) -> JSON {
        .object(fields(DebtCalculator.state(of: debt, payments: document.payments(forDebt: debt.id), asOf: today)))
    }

    /// `vault show --json`: the summary plus terms, schedule and payments.
    static func detail(_ s: DebtState) -> JSON {
        var out = fields(s)
        var terms: [(String, JSON)] = []
        let values = DebtFields.values(of: s.debt)
        for f in DebtFields.all where f.name != "id" && f.name != "name" && f.name != "currency" {
            if let v = values[f.name] { terms.append((f.name.replacing("-", with: "_"), .string(v))) }
        }
        out.append(("terms", .object(terms)))
        out.append(("created", date(s.debt.createdDate)))
        out.append(("snoozed_until", date(s.debt.snoozedUntil)))
        out.append(("schedule", .array(s.schedule.map { e in
            .object([("number", .int(Int64(e.line.number))), ("due_date", date(e.line.dueDate)),
                     ("effective_due_date", date(e.line.effectiveDueDate)), ("amount", money(e.line.amount)),
                     ("principal", money(e.line.principal)), ("interest", money(e.line.interest)), ("fee", money(e.line.fee)),
                     ("balance_after", money(e.line.balanceAfter)), ("paid", money(e.paid)), ("unpaid", money(e.unpaid)),
                     ("settled_on", date(e.settledOn)), ("settled_late", .bool(e.settledLate)), ("projected", .bool(e.line.isProjected))])
        })))
        out.append(("payments", .array(s.payments.map { p in
            .object([("id", .int(Int64(p.id))), ("date", date(p.date)), ("amount", money(p.amount)),
                     ("note", p.note.map { .string($0) } ?? .null)])
        })))
        return .object(out)
    }
}

/// A plain-text table with left-aligned text and right-aligned numbers.
struct TextTable {
    var header: [String]
    var rightAligned: Set<Int>
    var rows: [[String]] = []

    func render() -> String {
        let all = [header] + rows
        let cellWidths = all.map { $0.map(displayWidth) }
        var widths = [Int](repeating: 0, count: header.count)
        for r in cellWidths { for (i, w) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], w) } }
        var out = ""
        out.reserveCapacity(all.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (r, cells) in all.enumerated() {
            var line = ""
            for (i, c) in cells.enumerated() {
                if i > 0 { line += "  " }
                let pad = String(repeating: " ", count: max(0, widths[i] - cellWidths[r][i]))
                line += rightAligned.contains(i) ? pad + c : c + pad
            }
            while line.last == " " { line.removeLast() }
            out += line
            out += "\n"
        }
        return out
    }

    /// Terminal columns: East Asian wide characters take two.
    func displayWidth(_ s: String) -> Int {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.count }
        return s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}
