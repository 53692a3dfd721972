import DebtModel

/// `vault budget`: the monthly income and fixed expenses `vault plan` uses (income minus expenses),
/// stored encrypted in the vault's settings.
enum BudgetCommand: Command {
    static let spec = CommandSpec(
        name: "budget", abstract: "show or set the monthly income and fixed expenses plans use",
        usage: "vault budget [--income A] [--expenses B] [--payday N] [--currency CODE] [--clear] [--json]",
        discussion: """
        With no option, shows what is stored. 'vault plan' without --budget uses income minus expenses
        each month, paid on the payday. Kept inside the encrypted vault like everything else; an
        undoable change ('vault undo').
        """,
        options: [
            OptionSpec("income", value: "A", "monthly income, e.g. 12000"),
            OptionSpec("expenses", value: "B", "fixed monthly expenses besides debts (rent, food, transport), e.g. 7000"),
            OptionSpec("payday", value: "N", "the day of the month income arrives (1-31)"),
            OptionSpec("currency", value: "CODE", "currency of income and expenses (default: the stored one, else the vault's)"),
            OptionSpec("clear", "forget the stored income, expenses and payday"),
        ],
        examples: ["vault budget --income 12000 --expenses 7000 --payday 10", "vault budget", "vault budget --json"],
        takesJSON: true, takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let a = inv.args
        let setting = a.value("income") != nil || a.value("expenses") != nil || a.value("payday") != nil || a.value("currency") != nil
        if a.has("clear") && setting {
            throw CLIError.usage("--clear cannot be combined with values", command: spec.name)
        }
        let doc: VaultDocument
        if setting || a.has("clear") {
            guard let (_, changed) = try inv.changeDocument({ doc -> Change? in
                var s = doc.settings
                if a.has("clear") {
                    s.monthlyIncome = nil
                    s.monthlyExpenses = nil
                    s.payday = nil
                } else {
                    let currency = try a.value("currency").map { try Currency(code: $0, field: "currency") }
                        ?? s.monthlyIncome?.currency ?? s.monthlyExpenses?.currency ?? s.defaultCurrency
                    func amount(_ name: String, _ old: Money?) throws -> Money? {
                        if let text = a.value(name) { return try Money.parse(text, currency: currency, field: name) }
                        guard let old else { return nil }
                        guard old.currency == currency else {
                            throw CLIError.usage("the stored \(name) is in \(old.currency.code); give --\(name) in \(currency.code) too", command: spec.name)
                        }
                        return old
                    }
                    s.monthlyIncome = try amount("income", s.monthlyIncome)
                    s.monthlyExpenses = try amount("expenses", s.monthlyExpenses)
                    if let p = a.value("payday") {
                        guard p.allSatisfy(\.isASCII), let day = Int(p), (1...31).contains(day) else {
                            throw FieldError(field: "payday", value: p, reason: "must be a day of the month between 1 and 31")
                        }
                        s.payday = day
                    }
                }
                let change = try doc.updateSettings(s)
                return change
            }) else { return .failure }
            doc = changed
        } else {
            (_, _, doc) = try inv.loadDocument()
        }
        let s = doc.settings
        let available = BudgetCommand.available(s)
        if inv.json {
            inv.out.line(JSON.object([
                ("currency", (s.monthlyIncome ?? s.monthlyExpenses).map { .string($0.currency.code) } ?? .null),
                ("income", DebtJSON.money(s.monthlyIncome)), ("expenses", DebtJSON.money(s.monthlyExpenses)),
                ("payday", s.payday.map { .int(Int64($0)) } ?? .null),
                ("available", available.map { .string($0.decimalString) } ?? .null),
            ]).render())
            return .success
        }
        guard s.monthlyIncome != nil || s.monthlyExpenses != nil || s.payday != nil else {
            inv.out.line("no budget stored — set one with 'vault budget --income A --expenses B [--payday N]'")
            return .success
        }
        func show(_ m: Money?) -> String { m.map { "\($0.groupedString) \($0.currency.code)" } ?? "not set" }
        inv.out.write(pad("income:", show(s.monthlyIncome), width: 20))
        inv.out.write(pad("fixed expenses:", show(s.monthlyExpenses), width: 20))
        inv.out.write(pad("payday:", s.payday.map { "day \($0) of the month" } ?? "not set", width: 20))
        if let available {
            inv.out.write(pad("for debts:", "\(available.groupedString) \(available.currency.code) a month" + (available.isNegative ? " (expenses exceed income)" : ""), width: 20))
        } else {
            inv.out.line("for debts:          set both --income and --expenses")
        }
        return .success
    }

    /// Income minus expenses, when both are stored (in one currency); may be negative.
    static func available(_ s: Settings) -> Money? {
        guard let income = s.monthlyIncome else { return nil }
        return try? income.subtracting(s.monthlyExpenses ?? .zero(income.currency))
    }
}
