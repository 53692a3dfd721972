import DebtEngine
import DebtModel

/// `vault advice`: ranked, explained, personal advice. All the work is DebtEngine's ``AdviceEngine``
/// (pure, in memory); this file only prints. Nothing is written anywhere.
enum AdviceCommand: Command {
    static let spec = CommandSpec(
        name: "advice", abstract: "ranked, explained advice from your own debts and payments",
        usage: "vault advice [--json] [--today YYYY-MM-DD]",
        discussion: """
        A ranked list — urgent, important, tip — computed in memory from the vault each time: overdue
        debts and what they cost per day, payments in grace or due soon, a budget below the minimums,
        avalanche versus snowball with the plan engine's numbers, the minimum-payment trap, installment
        and high-cost rates against the 24% and 36% lines, promo periods ending, debt-to-income, your
        own late and last-day payment habits, a quick win, and a tip of the day. Each item says what
        to do and why, with your figures. Every rule, its trigger and its rationale: docs/advice.md.
        Nothing is written to the vault or anywhere else.
        """,
        examples: ["vault advice", "vault advice --json", "vault advice --today 2026-06-01"],
        takesJSON: true, takesToday: true)

    static let emptyMessage = "No open debts — nothing to advise. Add one with 'vault add', or see 'vault demo'."
    static let quietMessage = "Nothing needs your attention: no overdue or due payments, and no costly patterns in your debts. Here is today's tip."

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        let items = AdviceEngine.advise(document: doc, asOf: today)
        if inv.json {
            inv.out.line(json(items, today: today).render())
        } else {
            inv.out.write(text(items, today: today))
        }
        return .success
    }

    /// The message shown when there is nothing personal to say, if any.
    static func message(_ items: [AdviceItem]) -> String? {
        if items.isEmpty { return emptyMessage }
        if items.allSatisfy({ $0.code == "tip-of-the-day" }) { return quietMessage }
        return nil
    }

    static func json(_ items: [AdviceItem], today: CivilDate) -> JSON {
        var counts: [(String, JSON)] = []
        for s in AdviceSeverity.allCases { counts.append((s.code, .int(Int64(items.filter { $0.severity == s }.count)))) }
        return .object([
            ("today", DebtJSON.date(today)),
            ("message", message(items).map { .string($0) } ?? .null),
            ("counts", .object(counts)),
            ("advice", .array(items.enumerated().map { i, item in
                .object([("rank", .int(Int64(i + 1))), ("code", .string(item.code)), ("severity", .string(item.severity.code)),
                         ("title", .string(item.title)), ("explanation", .string(item.explanation)),
                         ("action", .string(item.action)), ("debt_ids", .array(item.debtIDs.map { .string($0) }))])
            })),
        ])
    }

    static func text(_ items: [AdviceItem], today: CivilDate) -> String {
        if items.isEmpty { return emptyMessage + "\n" }
        var out = "advice for \(today)"
        let counts = AdviceSeverity.allCases.compactMap { s -> String? in
            let n = items.filter { $0.severity == s }.count
            return n == 0 ? nil : "\(n) \(s.code)"
        }
        out += " (" + counts.joined(separator: ", ") + ")\n"
        if let m = message(items) { out += "\n" + m + "\n" }
        var severity: AdviceSeverity?
        for (i, item) in items.enumerated() {
            if item.severity != severity {
                out += "\n" + item.severity.code.uppercased() + "\n"
                severity = item.severity
            }
            out += "\(i + 1). \(item.title)  [\(item.code)]\n"
            out += wrap(item.explanation, first: "   why: ", rest: "        ")
            out += wrap(item.action, first: "   do:  ", rest: "        ")
        }
        return out
    }

    /// Wraps at spaces to about 100 columns.
    static func wrap(_ text: String, first: String, rest: String, width: Int = 100) -> String {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !empty && current.count + 1 + word.count > width {
                lines.append(current)
                current = rest + word
            } else {
                current += (empty ? "" : " ") + word
            }
            empty = false
        }
        lines.append(current)
        return lines.joined(separator: "\n") + "\n"
    }
}
