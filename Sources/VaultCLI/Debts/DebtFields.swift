import DebtModel

/// One user-settable field of a debt: its flag, prompt and which kinds use it.
struct DebtField: Sendable {
    let name: String
    let valueName: String
    let help: String
    let kinds: Set<DebtKind>
    /// Required when adding a debt of these kinds.
    let required: Set<DebtKind>
    /// Default shown when asking interactively (nil: no default).
    let promptDefault: String?

    init(_ name: String, _ valueName: String, _ help: String, kinds: Set<DebtKind> = Set(DebtKind.allCases),
         required: Set<DebtKind> = [], default promptDefault: String? = nil) {
        self.name = name
        self.valueName = valueName
        self.help = help
        self.kinds = kinds
        self.required = required
        self.promptDefault = promptDefault
    }

    var option: OptionSpec { OptionSpec(name, value: valueName, help) }
}

/// The fields of every kind of debt, and how a set of textual values becomes a `Debt`.
/// `add` (flags, prompts, JSON), `edit` and `import` all go through `build`, so each field is
/// parsed and validated in exactly one place.
enum DebtFields {
    static let all: [DebtField] = [
        DebtField("name", "TEXT", "lender or person owed (kept only inside the vault)", required: Set(DebtKind.allCases)),
        DebtField("id", "ID", "short id to type later (default: kind + number, e.g. card2)"),
        DebtField("currency", "CODE", "ISO 4217 currency (default: the vault's, CNY out of the box)"),
        DebtField("principal", "AMOUNT", "amount borrowed", kinds: [.loan, .installment], required: [.loan, .installment]),
        DebtField("rate", "RATE", "annual rate as quoted: 12%, 12%/year, 0.05%/day, 1%/month", kinds: [.loan, .informal], required: [.loan]),
        DebtField("months", "N", "term in months", kinds: [.loan, .installment], required: [.loan, .installment]),
        DebtField("method", "METHOD", "equal-installment (等额本息), equal-principal (等额本金), interest-only or bullet",
                  kinds: [.loan], default: "equal-installment"),
        DebtField("first-due", "DATE", "first due date, YYYY-MM-DD", kinds: [.loan, .installment], required: [.loan, .installment]),
        DebtField("fee", "RATE", "installment fee: 0.6%/month on the original principal, or 8.8%/total",
                  kinds: [.installment], required: [.installment]),
        DebtField("balance", "AMOUNT", "current statement balance (cards) or amount owed (informal)",
                  kinds: [.card, .informal], required: [.card, .informal]),
        DebtField("statement-day", "DAY", "statement day of the month, 1-31 (账单日)", kinds: [.card], required: [.card]),
        DebtField("due-day", "DAY", "due day of the month, 1-31 (还款日; 29-31 mean the month's last day in short months)",
                  kinds: [.card, .loan, .installment], required: [.card]),
        DebtField("statement-date", "DATE", "date of the current statement (default: the latest statement day)", kinds: [.card]),
        DebtField("credit-limit", "AMOUNT", "credit limit", kinds: [.card]),
        DebtField("min-payment", "RULE", "minimum payment: 10% of the statement balance, or a fixed amount like 90",
                  kinds: [.card], default: "10%"),
        DebtField("min-payment-floor", "AMOUNT", "smallest minimum payment when --min-payment is a percentage", kinds: [.card]),
        DebtField("due", "DATE", "due date of an informal debt, if there is one", kinds: [.informal]),
        DebtField("daily-rate", "RATE", "daily rate for penalty interest (cards default 0.05%/day; others: rate/365)"),
        DebtField("penalty-multiplier", "X", "overdue penalty rate multiplier (罚息; default 1.5)"),
        DebtField("late-penalty", "RULE", "late penalty (违约金): 5% of the unpaid minimum, a fixed amount, or none"),
        DebtField("grace-days", "N", "days after the due date that still count as on time (容时; default 3)"),
        DebtField("tolerance", "AMOUNT", "unpaid remainder that counts as paid (容差; default 10.00)"),
        DebtField("lead-days", "N,N,...", "days before a due date to remind (default 3,1,0; none for no early reminders)"),
        DebtField("overdue-cap", "DAYS", "stop overdue reminders after this many days overdue (default 30; 'vault remind --all' shows them)"),
        DebtField("weekend-shift", "MODE", "move due dates off weekends: none, before or after (default none)"),
        DebtField("promo-until", "DATE", "0% promotional period ends on this date (planning)"),
        DebtField("account", "TEXT", "account or contract reference (kept only inside the vault)"),
        DebtField("note", "TEXT", "free-form note (kept only inside the vault)"),
    ]

    static func field(_ name: String) -> DebtField? { all.first { $0.name == name } }

    /// Builds a debt from textual values. `base` keeps what an edit does not change (id, dates, closure).
    static func build(kind: DebtKind, values v: [String: String], base: Debt?, document: VaultDocument, today: CivilDate) throws -> Debt {
        for (name, _) in v {
            guard let f = field(name) else { throw CLIError.usage("unknown field '\(name)'") }
            guard f.kinds.contains(kind) else {
                throw CLIError.usage("--\(name) does not apply to \(article(kind)) \(kind) debt",
                                     hint: "fields for \(kind): " + all.filter { $0.kinds.contains(kind) }.map { "--" + $0.name }.joined(separator: " "))
            }
        }
        for f in all where f.required.contains(kind) && (v[f.name] ?? "").isEmpty {
            throw CLIError.usage("\(article(kind)) \(kind) debt needs --\(f.name) (\(f.help))")
        }
        let currency = try v["currency"].map { try Currency(code: $0) } ?? base?.currency ?? document.settings.defaultCurrency
        func money(_ name: String) throws -> Money? { try v[name].map { try Money.parse($0, currency: currency, field: name) } }
        func date(_ name: String) throws -> CivilDate? { try v[name].map { try CivilDate.parse($0, field: name) } }
        func rate(_ name: String) throws -> Rate? { try v[name].map { try Rate.parse($0, field: name) } }
        func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = v[name] else { return nil }
            guard text.allSatisfy(\.isASCII), let n = Int(text), range.contains(n) else {
                throw FieldError(field: name, value: text, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        func positive(_ m: Money?, _ name: String) throws -> Money? {
            if let m, m.minorUnits <= 0 { throw FieldError(field: name, value: m.decimalString, reason: "must be greater than zero") }
            return m
        }

        let terms: DebtTerms
        switch kind {
        case .loan:
            let method = try v["method"].map { try RepaymentMethod.parse($0) } ?? .equalInstallment
            terms = .loan(LoanTerms(principal: try positive(money("principal"), "principal")!, rate: try rate("rate")!,
                                    months: try int("months", 1...600)!, firstDueDate: try date("first-due")!,
                                    dueDay: try int("due-day", 1...31), method: method))
        case .installment:
            let fee = try rate("fee")!
            guard fee.period == .month || fee.period == .total else {
                throw FieldError(field: "fee", value: v["fee"]!, reason: "must be per month (0.6%/month) or for the whole term (8.8%/total)")
            }
            terms = .installment(InstallmentTerms(principal: try positive(money("principal"), "principal")!, months: try int("months", 1...600)!,
                                                  fee: fee, firstDueDate: try date("first-due")!, dueDay: try int("due-day", 1...31)))
        case .card:
            let statementDay = try int("statement-day", 1...31)!
            let balance = try money("balance")!
            let floor = try positive(money("min-payment-floor"), "min-payment-floor")
            let rule = try MinimumPaymentRule.parse(v["min-payment"] ?? "10%", currency: currency, floor: floor)
            let statementDate = try date("statement-date") ?? CardTerms.latestStatementDate(onOrBefore: today, statementDay: statementDay)
            terms = .card(CardTerms(creditLimit: try positive(money("credit-limit"), "credit-limit"), statementDay: statementDay,
                                    dueDay: try int("due-day", 1...31)!, statementBalance: balance,
                                    statementDate: statementDate, minimumPayment: rule))
        case .informal:
            terms = .informal(InformalTerms(amount: try positive(money("balance"), "balance")!, dueDate: try date("due"), rate: try rate("rate")))
        }
        let id = try v["id"].map { text -> String in try Debt.validateID(text); return text } ?? base?.id ?? document.nextDebtID(for: kind)
        var debt = Debt(id: id, name: v["name"]!, terms: terms, createdDate: base?.createdDate ?? today)
        if let base {
            debt.closure = base.closure
            debt.snoozedUntil = base.snoozedUntil
        }
        debt.accountReference = v["account"].flatMap { $0.isEmpty ? nil : $0 }
        debt.notes = v["note"].flatMap { $0.isEmpty ? nil : $0 }
        if let m = try v["penalty-multiplier"].map({ try Multiplier.parse($0, field: "penalty-multiplier") }) { debt.penaltyMultiplier = m }
        // The ranges are the model's own (Debt.validate), so that any stored debt can be edited.
        if let g = try int("grace-days", 0...365) { debt.graceDays = g }
        if let t = try money("tolerance") {
            guard t.minorUnits >= 0 else { throw FieldError(field: "tolerance", value: v["tolerance"]!, reason: "must not be negative") }
            debt.tolerance = t
        }
        if let d = v["daily-rate"] {
            let r = try Rate.parse(d, field: "daily-rate")
            guard r.period == .day else { throw FieldError(field: "daily-rate", value: d, reason: "must be a rate per day, e.g. 0.05%/day") }
            debt.dailyRate = r
        }
        if let text = v["late-penalty"] {
            var rule = try latePenalty(text, currency: currency)
            // The floor and cap of a percentage penalty have no flag (they come from an import); an edit that
            // keeps the same percentage in the same currency keeps them.
            if let base, base.currency == currency, case let .percentOfUnpaidMinimum(p, _, _) = rule,
               case let .percentOfUnpaidMinimum(old, floor, cap) = base.latePenalty, p == old {
                rule = .percentOfUnpaidMinimum(p, floor: floor, cap: cap)
            }
            debt.latePenalty = rule
        }
        if let text = v["lead-days"] { debt.leadDays = try leadDays(text) }
        if let cap = try int("overdue-cap", 0...3650) { debt.overdueReminderCapDays = cap }
        if let text = v["weekend-shift"] { debt.weekendShift = try WeekendShift.parse(text) }
        if let text = v["promo-until"] { debt.promoUntil = text.isEmpty ? nil : try CivilDate.parse(text, field: "promo-until") }
        return debt
    }

    static func article(_ kind: DebtKind) -> String {
        "aeiou".contains(kind.description.first ?? "x") ? "an" : "a"
    }

    /// Names of the fields that hold amounts in the debt's currency.
    static let moneyFields: Set<String> = ["principal", "balance", "credit-limit", "min-payment-floor", "tolerance"]

    /// Rewrites the stored amounts of `values` for a change of currency: each amount keeps its value
    /// when the new currency can write it exactly (10.00 CNY -> 10 JPY); otherwise the field must be given.
    static func convertAmounts(_ values: inout [String: String], to code: String, given: Set<String>) throws {
        let target = try Currency(code: code)
        var keys = moneyFields
        if let mp = values["min-payment"], !mp.hasSuffix("%") { keys.insert("min-payment") }
        if let lp = values["late-penalty"], lp != "none", !lp.hasSuffix("%") { keys.insert("late-penalty") }
        for key in keys where !given.contains(key) {
            guard let text = values[key] else { continue }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            var whole = String(parts[0])
            var fraction = parts.count > 1 ? String(parts[1]) : ""
            while fraction.count > target.minorUnits && fraction.hasSuffix("0") { fraction.removeLast() }
            while fraction.count < target.minorUnits { fraction += "0" }
            guard fraction.count == target.minorUnits else {
                throw CLIError.usage("--\(key) (\(text)) cannot be written in \(code); give --\(key) again with the new currency")
            }
            if whole.isEmpty { whole = "0" }
            values[key] = fraction.isEmpty ? whole : whole + "." + fraction
        }
    }

    static func latePenalty(_ text: String, currency: Currency) throws -> LatePenaltyRule {
        if text == "none" { return .none }
        if text.hasSuffix("%") { return .percentOfUnpaidMinimum(try Percentage.parse(text, field: "late-penalty"), floor: nil, cap: nil) }
        return .fixed(try Money.parse(text, currency: currency, field: "late-penalty"))
    }

    static func leadDays(_ text: String) throws -> [Int] {
        var days: [Int] = []
        if text == "none" || text.isEmpty { return days }  // no reminders before the due date
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.allSatisfy(\.isASCII), let n = Int(part), (0...365).contains(n) else {
                throw FieldError(field: "lead-days", value: text, reason: "must be comma-separated days from 0 to 365, e.g. 3,1,0, or none")
            }
            if !days.contains(n) { days.append(n) }
        }
        return days.sorted(by: >)
    }

    /// The textual values of an existing debt, so that an edit can change some and rebuild the rest.
    static func values(of debt: Debt) -> [String: String] {
        var v: [String: String] = ["name": debt.name, "currency": debt.currency.code, "id": debt.id]
        switch debt.terms {
        case .loan(let t):
            v["principal"] = t.principal.decimalString
            v["rate"] = t.rate.description
            v["months"] = String(t.months)
            v["method"] = t.method.description
            v["first-due"] = t.firstDueDate.description
            v["due-day"] = String(t.dueDay)
        case .installment(let t):
            v["principal"] = t.principal.decimalString
            v["months"] = String(t.months)
            v["fee"] = t.fee.description
            v["first-due"] = t.firstDueDate.description
            v["due-day"] = String(t.dueDay)
        case .card(let t):
            v["balance"] = t.statementBalance.decimalString
            v["statement-day"] = String(t.statementDay)
            v["due-day"] = String(t.dueDay)
            v["statement-date"] = t.statementDate.description
            if let c = t.creditLimit { v["credit-limit"] = c.decimalString }
            switch t.minimumPayment {
            case let .percent(p, floor):
                v["min-payment"] = p.description
                if let floor { v["min-payment-floor"] = floor.decimalString }
            case let .fixed(m):
                v["min-payment"] = m.decimalString
            }
        case .informal(let t):
            v["balance"] = t.amount.decimalString
            if let d = t.dueDate { v["due"] = d.description }
            if let r = t.rate { v["rate"] = r.description }
        }
        if let a = debt.accountReference { v["account"] = a }
        if let n = debt.notes { v["note"] = n }
        v["penalty-multiplier"] = debt.penaltyMultiplier.description
        v["grace-days"] = String(debt.graceDays)
        v["tolerance"] = debt.tolerance.decimalString
        if let d = debt.dailyRate { v["daily-rate"] = d.description }
        switch debt.latePenalty {
        case .none: v["late-penalty"] = "none"
        case let .fixed(m): v["late-penalty"] = m.decimalString
        case let .percentOfUnpaidMinimum(p, _, _): v["late-penalty"] = p.description
        }
        v["lead-days"] = debt.leadDays.isEmpty ? "none" : debt.leadDays.map(String.init).joined(separator: ",")
        v["overdue-cap"] = String(debt.overdueReminderCapDays)
        v["weekend-shift"] = debt.weekendShift.description
        if let p = debt.promoUntil { v["promo-until"] = p.description }
        return v
    }
}
