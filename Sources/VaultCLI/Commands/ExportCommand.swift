import DebtEngine
import DebtModel
import VaultCrypto
import VaultStorage

/// `vault export --redacted`: a summary safe to share (docs/export.md); `vault export --full`: everything,
/// unencrypted, for the user who asks for it by name.
enum ExportCommand: Command {
    static let spec = CommandSpec(
        name: "export", abstract: "a redacted summary safe to share, or (--full) everything as plaintext",
        usage: "vault export --redacted [--format markdown|json|csv] [--out FILE] [--precision 2sf|1sf|100|1000|10000|100000] [--stable] [--preview]\n       vault export --full [--format json|csv] --out FILE",
        discussion: """
        --redacted writes a one-page summary with no lender names, account references, notes, ids, exact
        amounts or exact dates: debts become "Debt A", "Debt B", ... in a new random order every time;
        amounts are rounded to 2 significant figures (or shown as ranges with --precision 1000); dates
        are shown to the month. Every export is checked for leaks before it is written. --stable keeps
        the letters in the same order across exports (by a salt stored in the vault). --preview shows
        exactly what would be written and asks before writing (needs a terminal).

        --full writes everything (names, notes, payments with dates) unencrypted, for moving to another
        tool or keeping a plaintext copy; it refuses to print to a terminal. 'vault import --from-json'
        reads its JSON back into an empty vault.

        Files are created 0600 and written atomically (never half-written); the vault, its backup and
        its lock file are never overwritten. See docs/export.md for the policy field by field.
        """,
        options: [
            OptionSpec("redacted", "a summary safe to share (the default kind is required: --redacted or --full)"),
            OptionSpec("full", "everything, unencrypted (json or csv)"),
            OptionSpec("format", value: "FORMAT", "markdown (default for --redacted), json (default for --full) or csv"),
            OptionSpec("out", value: "FILE", "write to FILE (created 0600, atomically) instead of standard output"),
            OptionSpec("precision", value: "P", "amounts: 2sf (default) or 1sf significant figures, or ranges of 100, 1000, 10000 or 100000"),
            OptionSpec("stable", "keep the same pseudonym order across exports (salt stored in the vault)"),
            OptionSpec("preview", "show exactly what would be written and ask before writing (terminal only)"),
        ],
        examples: [
            "vault export --redacted",
            "vault export --redacted --format json --out summary.json --precision 1000",
            "vault export --redacted --stable --preview --out for-counsellor.md",
            "vault export --full --format json --out backup-plaintext.json",
        ],
        takesToday: true, takesWait: true)

    enum Format: String { case markdown, json, csv }

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let a = inv.args
        let full = a.has("full")
        guard full != a.has("redacted") else {
            throw CLIError.usage(full ? "--redacted and --full cannot be combined" : "choose --redacted (safe to share) or --full (everything, unencrypted)",
                                 command: spec.name)
        }
        let format: Format
        if let text = a.value("format") {
            guard let f = Format(rawValue: text) else { throw CLIError.usage("unknown format '\(text)'", hint: "use markdown, json or csv", command: spec.name) }
            format = f
        } else {
            format = full ? .json : .markdown
        }
        var precision = RedactionPrecision.default
        if full {
            if format == .markdown { throw CLIError.usage("--full writes json or csv, not markdown", command: spec.name) }
            for flag in ["precision", "stable"] where a.has(flag) || a.value(flag) != nil {
                throw CLIError.usage("--\(flag) applies to --redacted only; --full exports exact values", command: spec.name)
            }
        } else if let text = a.value("precision") {
            guard let p = RedactionPrecision.parse(text) else {
                throw CLIError.usage("unknown precision '\(text)'", hint: "use 2sf, 1sf, 100, 1000, 10000 or 100000", command: spec.name)
            }
            precision = p
        }
        let out = a.value("out")
        if let out, out.isEmpty || out == "-" { throw CLIError.usage("--out needs a file name (leave it out to print to standard output)", command: spec.name) }
        if a.has("preview") && !(inv.context.interactive && TerminalPrompt.isAvailable) {
            throw CLIError.usage("--preview needs a terminal to ask on", hint: "drop --preview and read the file before sharing it", command: spec.name)
        }
        if full && out == nil && inv.out.isTerminal {
            throw CLIError.usage("refusing to print an unencrypted full export on the terminal",
                                 hint: "use --out FILE, or pipe it to a program", command: spec.name)
        }
        // Check the target before unlocking, so that nothing is asked for or computed in vain.
        let protected = try protectedPaths(inv)
        if let out { try mapExportError { try ExportFile.checkTarget(out, protected: protected) } }

        let today = try inv.today()
        let (store, session, loaded) = try inv.loadDocument()
        var doc = loaded
        let content: String
        if full {
            content = try fullExport(doc, format: format)
        } else {
            var order = PseudonymOrder.random(seed: Sodium.randomBytes(32))
            if a.has("stable") {
                if let salt = doc.settings.exportSalt {
                    order = .stable(salt: salt)
                } else {
                    // First use: generate the salt and keep it in the (encrypted) vault.
                    let saved = try inv.changeDocument(unlocked: (store, session)) { d -> [UInt8]? in
                        if let existing = d.settings.exportSalt { return existing }
                        var s = d.settings
                        s.exportSalt = Sodium.randomBytes(32)
                        try d.updateSettings(s)
                        return s.exportSalt
                    }
                    guard let (salt, newDoc) = saved else { return .failure }
                    doc = newDoc
                    order = .stable(salt: salt)
                    inv.err.line("note: stored a new export salt in the vault; later --stable exports keep this order")
                }
            }
            // The debts' states are derived once and shared by the plan, the advice, the redaction and the leak check.
            let states = inv.timings.measure("compute") { DebtCalculator.states(of: doc, asOf: today) }
            var check = RedactionLeakCheck(document: doc, precision: precision, states: states)
            let plans = inv.timings.measure("plan") { RedactionPlanSummary.compute(document: doc, asOf: today, states: states) }
            let advice = inv.timings.measure("advice") { adviceTitles(document: doc, asOf: today, states: states) }
            let report = inv.timings.measure("redact") {
                Redactor.redact(document: doc, asOf: today, plans: plans, advice: advice, precision: precision, order: order, check: check, states: states)
            }
            content = inv.timings.measure("render") { render(report, format: format) }
            check = check.adding(texts: [store.path, store.backupPath] + ["passphrase-file", "passphrase-command"].compactMap { a.value($0) })
            let found = inv.timings.measure("leak check") { check.findings(in: content) }
            guard found.isEmpty else {
                // Should never happen: every field is coarsened by construction. Refuse rather than leak.
                throw CLIError("the redacted export failed its leak check (it contained \(found.joined(separator: ", "))); nothing was written",
                               hint: "please report this as a bug (without the vault)")
            }
        }
        if a.has("preview") {
            TerminalPrompt.say("---- this is exactly what would be written\(out.map { " to \($0)" } ?? "") ----")
            TerminalPrompt.say(content.hasSuffix("\n") ? String(content.dropLast()) : content)
            TerminalPrompt.say("---- end ----")
            let answer = TerminalPrompt.askVisible(out == nil ? "print it? [y/N]: " : "write it? [y/N]: ")
            guard let answer = answer?.lowercased(), answer == "y" || answer == "yes" else {
                inv.err.line("nothing written")
                return .failure
            }
        }
        if full { inv.err.line("warning: this export is NOT encrypted: it holds every name, account reference, note, amount and date in plain text; protect or delete it") }
        if let out {
            try mapExportError { try ExportFile.write(Array(content.utf8), to: out, protected: protected) }
            inv.err.line("wrote \(full ? "full" : "redacted") \(format.rawValue) export to \(out) (mode 0600)")
        } else {
            inv.out.write(content)
        }
        return .success
    }

    /// The vault, its backup, its lock file and the passphrase file: never an export target.
    static func protectedPaths(_ inv: Invocation) throws -> [String] {
        let store = try inv.store()
        return [store.path, store.backupPath, store.lockPath] + (inv.args.value("passphrase-file").map { [$0] } ?? [])
    }

    static func mapExportError(_ body: () throws -> Void) throws {
        do { try body() } catch let e as ExportFile.Failure {
            throw CLIError.usage(e.message, hint: "choose another --out FILE", command: spec.name)
        }
    }

    /// The current advice titles (codes and severities only travel with them; explanations never do).
    static func adviceTitles(document: VaultDocument, asOf date: CivilDate, states: [DebtState]? = nil) -> [RedactionAdviceInput] {
        AdviceEngine.advise(document: document, asOf: date, states: states).map {
            RedactionAdviceInput(code: $0.code, severity: $0.severity.code, title: $0.title)
        }
    }

    // MARK: - Redacted rendering

    static func render(_ r: RedactedReport, format: Format) -> String {
        switch format {
        case .markdown: return markdown(r)
        case .json: return json(r).render() + "\n"
        case .csv: return csv(r)
        }
    }

    static func apr(_ tenths: Int?) -> String? { tenths.map { "\($0 / 10).\($0 % 10)" } }

    static func outcomeLabel(_ o: PlanOutcome) -> String {
        switch o {
        case .debtFree: return "debt-free"
        case .budgetBelowMinimums: return "budget below the minimums"
        case .neverEnds: return "never ends at this budget"
        }
    }

    static func precisionLabel(_ p: RedactionPrecision) -> String {
        switch p {
        case let .significantFigures(n): return "rounded to \(n) significant figure\(n == 1 ? "" : "s")"
        case let .bucket(size): return "shown as ranges of \(RedactedAmount.grouped(size * 100, .cny))"
        }
    }

    static func markdown(_ r: RedactedReport) -> String {
        func esc(_ s: String) -> String {
            var out = ""
            for c in s { if "\\`*_[]<>|#".contains(c) { out.append("\\") }; out.append(c) }
            return out
        }
        let open = r.debts.count
        var md = "# Debt summary, \(r.month)\n\n"
        md += "_Redacted export from debt-vault: debts are pseudonyms (\(r.stableOrder ? "same order as earlier --stable exports" : "letters in a new random order on every export")), "
        md += "amounts are \(precisionLabel(r.precision)), dates are shown to the month. No names, account references, notes or payment history._\n\n"
        md += "## Overview\n\n"
        let kinds = r.countsByKind.map { "\($0.count) \($0.kind)\($0.count == 1 ? "" : (($0.kind == .informal) ? "" : "s"))" }.joined(separator: ", ")
        md += "- Open debts: \(open)\(kinds.isEmpty ? "" : " (\(kinds))")\n"
        md += "- Closed debts: \(r.closedCount)\n"
        for t in r.totals { md += "- Total owed: \(t.display)\n" }
        if !r.debts.isEmpty {
            md += "\n## Debts\n\n| Debt | Kind | Balance | APR | Months left | Status |\n|---|---|---:|---:|---:|---|\n"
            for d in r.debts {
                md += "| \(d.pseudonym) | \(d.kind) | \(d.balance.display) | \(apr(d.aprTenths).map { $0 + "%" } ?? "–") | \(d.monthsLeft.map(String.init) ?? "–") | \(d.status.label) |\n"
            }
        }
        if !r.plans.isEmpty {
            md += "\n## Plan\n\n| Currency | Strategy | Outcome | Months to debt-free | Total interest and fees |\n|---|---|---|---:|---:|\n"
            for p in r.plans {
                let strategy = p.strategy == .minimum ? "minimum payments only" : p.strategy.description
                md += "| \(p.currency.code) | \(strategy) | \(outcomeLabel(p.outcome)) | \(p.monthsToDebtFree.map(String.init) ?? "–") | \(p.totalInterest.display) |\n"
            }
        }
        if !r.advice.isEmpty {
            md += "\n## Advice\n\n"
            for item in r.advice { md += "- **\(item.severity)**: \(esc(item.title))\n" }
        }
        return md
    }

    static func amountJSON(_ a: RedactedAmount) -> JSON {
        .object([("currency", .string(a.currency.code)), ("value", .string(RedactedAmount.plain(a.value, a.currency))),
                 ("upper", a.upper.map { .string(RedactedAmount.plain($0, a.currency)) } ?? .null), ("text", .string(a.display))])
    }

    static func json(_ r: RedactedReport) -> JSON {
        .object([
            ("format", .string("debt-vault-redacted-export")), ("version", .int(1)),
            ("month", .string(r.month)), ("precision", .string(r.precision.description)),
            ("pseudonym_order", .string(r.stableOrder ? "stable" : "random")),
            ("counts", .object([("open", .int(Int64(r.debts.count))), ("closed", .int(Int64(r.closedCount))),
                                ("by_kind", .array(r.countsByKind.map { .object([("kind", .string($0.kind.description)), ("count", .int(Int64($0.count)))]) }))])),
            ("totals", .array(r.totals.map(amountJSON))),
            ("debts", .array(r.debts.map { d in
                .object([("pseudonym", .string(d.pseudonym)), ("kind", .string(d.kind.description)), ("balance", amountJSON(d.balance)),
                         ("apr_percent", apr(d.aprTenths).map { .string($0) } ?? .null),
                         ("months_left", d.monthsLeft.map { .int(Int64($0)) } ?? .null),
                         ("status", .string(d.status.rawValue)), ("status_text", .string(d.status.label))])
            })),
            ("plans", .array(r.plans.map { p in
                .object([("currency", .string(p.currency.code)), ("strategy", .string(p.strategy.description)),
                         ("outcome", .string(p.outcome.rawValue)),
                         ("months_to_debt_free", p.monthsToDebtFree.map { .int(Int64($0)) } ?? .null),
                         ("total_interest", amountJSON(p.totalInterest))])
            })),
            ("advice", .array(r.advice.map { .object([("code", .string($0.code)), ("severity", .string($0.severity)),
                                                      ("title", .string($0.title)), ("title_withheld", .bool($0.titleWithheld))]) })),
        ])
    }

    static let redactedCSVHeader = ["record", "name", "kind", "currency", "amount", "amount_upper", "apr_percent", "months", "count", "status", "text"]

    static func csv(_ r: RedactedReport) -> String {
        var rows: [[String]] = [redactedCSVHeader]
        func row(_ record: String, name: String = "", kind: String = "", amount: RedactedAmount? = nil, apr: String = "",
                 months: String = "", count: String = "", status: String = "", text: String = "") {
            rows.append([record, name, kind, amount?.currency.code ?? "", amount.map { RedactedAmount.plain($0.value, $0.currency) } ?? "",
                         amount?.upper.map { RedactedAmount.plain($0, amount!.currency) } ?? "", apr, months, count, status, text])
        }
        row("month", text: r.month)
        row("precision", text: r.precision.description)
        row("pseudonym_order", text: r.stableOrder ? "stable" : "random")
        for c in r.countsByKind { row("count", kind: c.kind.description, count: String(c.count)) }
        row("closed", count: String(r.closedCount))
        for t in r.totals { row("total", amount: t) }
        for d in r.debts {
            row("debt", name: d.pseudonym, kind: d.kind.description, amount: d.balance, apr: apr(d.aprTenths) ?? "",
                months: d.monthsLeft.map(String.init) ?? "", status: d.status.rawValue)
        }
        for p in r.plans {
            row("plan", name: p.strategy.description, amount: p.totalInterest, months: p.monthsToDebtFree.map(String.init) ?? "",
                status: p.outcome.rawValue)
        }
        for a in r.advice { row("advice", name: a.code, status: a.severity, text: a.title) }
        return rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
    /// gets a leading apostrophe.
    static func csvField(_ s: String) -> String {
        var v = s
        if let f = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || v.hasPrefix(" ") || v.hasSuffix(" ") else { return v }
        return "\"" + v.replacing("\"", with: "\"\"") + "\""
    }

    // MARK: - Full export

    static func fullExport(_ doc: VaultDocument, format: Format) throws -> String {
        let json = FullExport.encode(doc).render() + "\n"
        // Prove the round trip before writing anything: what import would rebuild must equal the vault.
        let back: FullExport.Contents
        do { back = try FullExport.decode(Array(json.utf8)) } catch {
            throw CLIError("the full export could not be read back (\(CLIError(from: error, vaultPath: "").message)); nothing was written",
                           hint: "please report this as a bug")
        }
        if let i = doc.debts.indices.first(where: { !back.debts.indices.contains($0) || back.debts[$0] != doc.debts[$0] })
            ?? (back.debts.count != doc.debts.count ? 0 : nil) {
            throw CLIError("debt \(doc.debts.indices.contains(i) ? doc.debts[i].id : "?") has a value the export format cannot carry exactly; nothing was written",
                           hint: "please report this as a bug")
        }
        guard back.payments == doc.payments, back.settings == doc.settings, back.nextPaymentID == doc.nextPaymentID else {
            throw CLIError("the payments or settings could not be exported exactly; nothing was written", hint: "please report this as a bug")
        }
        return format == .csv ? FullExport.csv(doc) : json
    }
}

/// The `vault export --full` formats and their reader (docs/export.md).
enum FullExport {
    struct Contents {
        var settings: Settings
        var debts: [Debt]
        var payments: [Payment]
        var nextPaymentID: Int
    }

    /// Debt keys in the order of `vault add`'s fields, as snake_case.
    static let fieldNames = DebtFields.all.map(\.name)
    static func key(_ field: String) -> String { field.replacing("-", with: "_") }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
    static func unhex(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: u.count, by: 2) {
            guard let b = UInt8(String(decoding: u[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }

    static func moneyObject(_ m: Money?) -> JSON {
        m.map { .object([("amount", .string($0.decimalString)), ("currency", .string($0.currency.code))]) } ?? .null
    }

    static func debtObject(_ d: Debt) -> JSON {
        let values = DebtFields.values(of: d)
        var fields: [(String, JSON)] = [("id", .string(d.id)), ("kind", .string(d.kind.description))]
        for name in fieldNames where name != "id" { fields.append((key(name), values[name].map { .string($0) } ?? .null)) }
        var floor: Money?, cap: Money?
        if case let .percentOfUnpaidMinimum(_, f, c) = d.latePenalty { floor = f; cap = c }
        fields += [("late_penalty_floor", DebtJSON.money(floor)), ("late_penalty_cap", DebtJSON.money(cap)),
                   ("created", DebtJSON.date(d.createdDate)), ("closed", DebtJSON.date(d.closure?.date)),
                   ("close_reason", d.closure.map { .string($0.reason.description) } ?? .null),
                   ("snoozed_until", DebtJSON.date(d.snoozedUntil))]
        return .object(fields)
    }

    static func encode(_ doc: VaultDocument) -> JSON {
        let s = doc.settings
        return .object([
            ("format", .string("debt-vault-full-export")), ("version", .int(1)),
            ("warning", .string("unencrypted: every name, note, amount and date of the vault")),
            ("settings", .object([("default_currency", .string(s.defaultCurrency.code)), ("monthly_income", moneyObject(s.monthlyIncome)),
                                  ("monthly_expenses", moneyObject(s.monthlyExpenses)), ("payday", s.payday.map { .int(Int64($0)) } ?? .null),
                                  ("export_salt", s.exportSalt.map { .string(hex($0)) } ?? .null)])),
            ("next_payment_id", .int(Int64(doc.nextPaymentID))),
            ("debts", .array(doc.debts.map(debtObject))),
            ("payments", .array(doc.payments.map { p in
                .object([("id", .int(Int64(p.id))), ("debt", .string(p.debtID)), ("date", .string(p.date.description)),
                         ("amount", .string(p.amount.decimalString)), ("currency", .string(p.amount.currency.code)),
                         ("note", p.note.map { .string($0) } ?? .null)])
            })),
        ])
    }

    /// Reads a full export (JSON). Every value goes through the same parsers as `vault add`.
    static func decode(_ bytes: [UInt8]) throws -> Contents {
        let document: JSONValue
        do { document = try JSONReader.parse(bytes) } catch { throw CLIError.usage("the file is not valid JSON: \(error)") }
        guard let top = document.object, top["format"]?.string == "debt-vault-full-export" else {
            throw CLIError.usage("not a full export of debt-vault (no \"format\": \"debt-vault-full-export\")",
                                 hint: "only 'vault export --full --format json' files can be imported; a redacted export cannot")
        }
        guard top["version"]?.integer == 1 else { throw CLIError.usage("unsupported full export version") }
        func bad(_ what: String) -> CLIError { CLIError.usage("invalid full export: \(what)") }
        /// An integral number that fits in Int ("3", "3.0"); nil for anything else.
        func int(_ v: JSONValue?) -> Int? { v?.integer }
        /// .some(nil) for an absent key or null, .some(text) for a string, nil for any other value.
        func str(_ v: JSONValue?) -> String?? {
            guard let v, !v.isNull else { return .some(nil) }
            if let s = v.string { return .some(s) }
            return nil
        }
        func money(_ v: JSONValue?, _ what: String) throws -> Money? {
            guard let v, !v.isNull else { return nil }
            guard let o = v.object, let a = o["amount"]?.string, let c = o["currency"]?.string else { throw bad(what) }
            return try Money.parse(a, currency: try Currency(code: c, field: what), field: what)
        }
        guard let s = top["settings"]?.object, let code = s["default_currency"]?.string else { throw bad("settings") }
        var settings = Settings(defaultCurrency: try Currency(code: code, field: "default_currency"))
        settings.monthlyIncome = try money(s["monthly_income"], "monthly_income")
        settings.monthlyExpenses = try money(s["monthly_expenses"], "monthly_expenses")
        if let p = s["payday"], !p.isNull { guard let d = int(p) else { throw bad("payday") }; settings.payday = d }
        if let salt = s["export_salt"], !salt.isNull {
            guard let text = salt.string, let bytes = unhex(text) else { throw bad("export_salt") }
            settings.exportSalt = bytes
        }
        guard let next = int(top["next_payment_id"]) else { throw bad("next_payment_id") }
        func objects(_ v: JSONValue?) -> [JSONObject]? {
            guard let list = v?.array else { return nil }
            let items = list.compactMap(\.object)
            return items.count == list.count ? items : nil
        }
        guard let debtItems = objects(top["debts"]), let paymentItems = objects(top["payments"]) else { throw bad("debts or payments") }

        var debts: [Debt] = []
        for (n, item) in debtItems.enumerated() {
            func field(_ k: String) throws -> String? {
                guard let v = str(item[k]) else { throw bad("debt \(n + 1): \(k) must be a string or null") }
                return v
            }
            guard let kindText = try field("kind"), let id = try field("id"), let created = try field("created") else { throw bad("debt \(n + 1): kind, id and created are required") }
            let kind = try DebtKind.parse(kindText)
            var values: [String: String] = ["id": id]
            for name in fieldNames where name != "id" { if let v = try field(key(name)) { values[name] = v } }
            let createdDate = try CivilDate.parse(created, field: "created")
            var debt: Debt
            do {
                debt = try DebtFields.build(kind: kind, values: values, base: nil, document: VaultDocument(settings: settings), today: createdDate)
            } catch {
                var e = CLIError(from: error, vaultPath: "")
                e.message = "debt \(n + 1): " + e.message
                throw e
            }
            debt.createdDate = createdDate
            if let closed = try field("closed") {
                let reason = try CloseReason.parse(try field("close_reason") ?? "paid-off")
                debt.closure = Closure(date: try CivilDate.parse(closed, field: "closed"), reason: reason)
            }
            debt.snoozedUntil = try field("snoozed_until").map { try CivilDate.parse($0, field: "snoozed_until") }
            if case let .percentOfUnpaidMinimum(p, _, _) = debt.latePenalty {
                let floor = try field("late_penalty_floor").map { try Money.parse($0, currency: debt.currency, field: "late_penalty_floor") }
                let cap = try field("late_penalty_cap").map { try Money.parse($0, currency: debt.currency, field: "late_penalty_cap") }
                debt.latePenalty = .percentOfUnpaidMinimum(p, floor: floor, cap: cap)
            }
            debts.append(debt)
        }
        var payments: [Payment] = []
        let currencies = Dictionary(debts.map { ($0.id, $0.currency) }, uniquingKeysWith: { a, _ in a })
        for (n, item) in paymentItems.enumerated() {
            guard let id = int(item["id"]), let debtID = item["debt"]?.string, let date = item["date"]?.string,
                  let amount = item["amount"]?.string, let note = str(item["note"]) else { throw bad("payment \(n + 1)") }
            guard let currency = currencies[debtID] else { throw bad("payment \(n + 1) refers to unknown debt '\(debtID)'") }
            if let c = item["currency"]?.string, c != currency.code { throw bad("payment \(n + 1) is in \(c), its debt in \(currency.code)") }
            payments.append(Payment(id: id, debtID: debtID, date: try CivilDate.parse(date, field: "date"),
                                    amount: try Money.parse(amount, currency: currency, field: "amount"), note: note))
        }
        return Contents(settings: settings, debts: debts, payments: payments, nextPaymentID: next)
    }

    static let csvColumns: [String] = ["record", "id", "kind", "debt", "date", "amount", "currency", "note"]
        + DebtFields.all.map(\.name).filter { !["id", "currency", "note"].contains($0) }.map(key)
        + ["debt_note", "late_penalty_floor", "late_penalty_cap", "created", "closed", "close_reason", "snoozed_until", "value"]

    /// One table: a row per setting, per debt and per payment (`record` says which). JSON is the exact
    /// format; in CSV, text that a spreadsheet would run as a formula gets a leading apostrophe.
    static func csv(_ doc: VaultDocument) -> String {
        var rows: [[String]] = [csvColumns]
        func row(_ cells: [String: String]) { rows.append(csvColumns.map { cells[$0] ?? "" }) }
        let s = doc.settings
        row(["record": "setting", "id": "default_currency", "value": s.defaultCurrency.code])
        if let m = s.monthlyIncome { row(["record": "setting", "id": "monthly_income", "amount": m.decimalString, "currency": m.currency.code]) }
        if let m = s.monthlyExpenses { row(["record": "setting", "id": "monthly_expenses", "amount": m.decimalString, "currency": m.currency.code]) }
        if let p = s.payday { row(["record": "setting", "id": "payday", "value": String(p)]) }
        if let salt = s.exportSalt { row(["record": "setting", "id": "export_salt", "value": hex(salt)]) }
        row(["record": "setting", "id": "next_payment_id", "value": String(doc.nextPaymentID)])
        for d in doc.debts {
            let values = DebtFields.values(of: d)
            var cells: [String: String] = ["record": "debt", "id": d.id, "kind": d.kind.description, "currency": d.currency.code,
                                           "created": d.createdDate.description]
            for (k, v) in values where !["id", "currency", "note"].contains(k) { cells[key(k)] = v }
            if let n = d.notes { cells["debt_note"] = n }
            if case let .percentOfUnpaidMinimum(_, f, c) = d.latePenalty {
                if let f { cells["late_penalty_floor"] = f.decimalString }
                if let c { cells["late_penalty_cap"] = c.decimalString }
            }
            if let c = d.closure { cells["closed"] = c.date.description; cells["close_reason"] = c.reason.description }
            if let z = d.snoozedUntil { cells["snoozed_until"] = z.description }
            row(cells)
        }
        for p in doc.payments {
            var cells = ["record": "payment", "id": String(p.id), "debt": p.debtID, "date": p.date.description,
                         "amount": p.amount.decimalString, "currency": p.amount.currency.code]
            if let n = p.note { cells["note"] = n }
            row(cells)
        }
        return rows.map { $0.map(ExportCommand.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// `vault import --from-json FILE`: reads a full export back into an empty vault, exactly.
enum ImportCommand: Command {
    static let spec = CommandSpec(
        name: "import", abstract: "read a full JSON export ('vault export --full') into an empty vault",
        usage: "vault import --from-json FILE",
        discussion: """
        Restores settings, debts and payments exactly as they were exported (payment ids, dates, amounts and
        notes included) as one change that 'vault undo' can take back. The vault must be empty: create one
        with 'vault init' first. FILE '-' reads standard input. A redacted export cannot be imported.
        """,
        options: [OptionSpec("from-json", value: "FILE", "the file written by 'vault export --full --format json' ('-': standard input)")],
        takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        guard let source = inv.args.value("from-json") else {
            throw CLIError.usage("--from-json FILE is required", hint: "write one with 'vault export --full --format json --out FILE'", command: spec.name)
        }
        let bytes: [UInt8]
        if source == "-" {
            bytes = inv.context.readStandardInput()
        } else {
            guard let data = ExportFile.read(source) else {
                throw CLIError.usage("cannot read \(source)", command: spec.name)
            }
            bytes = data
        }
        // Parse and validate before asking for the passphrase.
        let contents = try FullExport.decode(bytes)
        guard let (change, _) = try inv.changeDocument({ doc -> Change? in
            guard doc.debts.isEmpty, doc.payments.isEmpty else {
                throw CLIError.usage("the vault is not empty (\(doc.debts.count) debts, \(doc.payments.count) payments); import needs an empty vault",
                                     hint: "create a new one with 'vault init --vault NEW.dv' and import there", command: spec.name)
            }
            return try doc.importContents(settings: contents.settings, debts: contents.debts, payments: contents.payments,
                                          nextPaymentID: contents.nextPaymentID)
        }) else { return .failure }
        inv.out.line(change.description + " (undo with 'vault undo')")
        return .success
    }
}
