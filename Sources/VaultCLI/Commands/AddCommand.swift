import DebtEngine
import DebtModel
import VaultStorage

enum AddCommand: Command {
    static let spec = CommandSpec(
        name: "add", abstract: "add a debt: a loan, an installment purchase, a card or an informal debt",
        usage: "vault add [--kind KIND --name TEXT ...] | vault add --from-json - | vault add",
        discussion: """
        Run without flags on a terminal, 'vault add' asks for each field in turn, with defaults in
        brackets: that keeps lender names and amounts out of your shell history. With flags it is for
        scripts; with --from-json - it reads one debt object or an array of them from standard input
        (keys are the flag names, e.g. {"kind": "loan", "name": "Bank", "principal": "100000", ...}).
        Amounts are strict decimals in the currency's minor units (100000, 8884.88); rates are written
        as lenders quote them (18%, 0.05%/day, 0.6%/month, 8.8%/total).
        """,
        options: [OptionSpec("kind", value: "KIND", "loan, installment, card or informal"),
                  OptionSpec("from-json", value: "-", "read one debt or an array of debts as JSON from standard input")]
            + DebtFields.all.map(\.option),
        examples: [
            "vault add",
            "vault add --kind loan --name \"Bank\" --principal 100000 --rate 12% --months 12 --first-due 2027-01-10",
            "vault add --kind installment --name \"Phone\" --principal 6000 --months 12 --fee 0.6%/month --first-due 2027-01-15",
            "vault add --kind card --name \"Card\" --balance 5200 --statement-day 1 --due-day 20 --min-payment 10%",
            "vault add --kind informal --name \"Uncle\" --balance 3000 --due 2027-06-30",
        ],
        takesJSON: true, takesToday: true, takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let today = try inv.today()
        var inputs: [(DebtKind, [String: String])] = []
        var unlocked: (VaultStore, VaultSession)?
        if let source = inv.args.value("from-json") {
            guard source == "-" else { throw CLIError.usage("--from-json takes '-' (standard input)", command: spec.name) }
            guard inv.args.values.keys.allSatisfy({ !DebtFields.all.map(\.name).contains($0) && $0 != "kind" }) else {
                throw CLIError.usage("--from-json cannot be combined with field flags", command: spec.name)
            }
            inputs = try JSONDebtInput.read(inv.context.readStandardInput())
        } else {
            var values: [String: String] = [:]
            for f in DebtFields.all { if let v = inv.args.value(f.name) { values[f.name] = v } }
            if let k = inv.args.value("kind") {
                inputs = [(try DebtKind.parse(k), values)]
            } else if values.isEmpty && inv.context.interactive && TerminalPrompt.isAvailable {
                let (store, session, doc) = try inv.loadDocument()
                unlocked = (store, session)
                inputs = [try Interview.ask(today: today, document: doc)]
            } else {
                throw CLIError.usage("--kind is required with flags (loan, installment, card or informal)",
                                     hint: "run 'vault add' alone on a terminal to be asked for each field", command: spec.name)
            }
        }
        guard !inputs.isEmpty else { throw CLIError.usage("no debt given", command: spec.name) }
        let added = try inv.changeDocument(unlocked: unlocked) { doc -> [Debt] in
            var debts: [Debt] = []
            for (index, (kind, values)) in inputs.enumerated() {
                do {
                    let debt = try DebtFields.build(kind: kind, values: values, base: nil, document: doc, today: today)
                    _ = try doc.addDebt(debt)
                    debts.append(debt)
                } catch where inputs.count > 1 {
                    var e = CLIError(from: error, vaultPath: "")
                    e.message = "debt \(index + 1): " + e.message
                    throw e
                }
            }
            return debts
        }
        guard let (debts, doc) = added else { return .failure }
        if inv.json {
            let items = debts.map { DebtJSON.summary($0, document: doc, today: today) }
            inv.out.line((items.count == 1 && inputs.count == 1 && inv.args.value("from-json") == nil ? items[0] : .array(items)).render())
        } else {
            for d in debts { inv.out.line(d.id) }
        }
        for d in debts {
            let state = DebtCalculator.state(of: d, payments: [], asOf: today)
            if case .overdue = state.status, let due = state.schedule.first(where: { !$0.isSettled })?.line.effectiveDueDate {
                inv.err.line("warning: \(d.id) already has an amount due on \(due) that is past due; if it was paid, record it with 'vault pay \(d.id) AMOUNT --date DATE'"
                             + (d.kind == .card ? ", or set the current statement with 'vault edit \(d.id) --statement-date DATE --balance AMOUNT'" : ""))
            }
        }
        return .success
    }
}

/// Reads debts from JSON: an object or an array of objects whose keys are field names ("first_due"
/// and "first-due" both work). A value is a string, or a number passed on exactly as written
/// ("1200.50" stays "1200.50"; there is no floating-point step), or an array of strings and numbers,
/// which becomes one comma-separated value. Anything else is refused, as are invalid JSON and
/// duplicate keys (JSONReader).
enum JSONDebtInput {
    static func read(_ data: [UInt8]) throws -> [(DebtKind, [String: String])] {
        let document: JSONValue
        do { document = try JSONReader.parse(data) } catch {
            throw CLIError.usage("standard input is not valid JSON: \(error)")
        }
        let items: [JSONObject]
        if let one = document.object {
            items = [one]
        } else if let many = document.array, case let objects = many.compactMap(\.object), objects.count == many.count {
            items = objects
        } else {
            throw CLIError.usage("expected a JSON object or an array of objects")
        }
        return try items.enumerated().map { (index, item) in
            var values: [String: String] = [:]
            var kind: DebtKind?
            for (rawKey, rawValue) in item.members {
                let key = String(String.UnicodeScalarView(rawKey.unicodeScalars.map { $0 == "_" ? "-" : $0 }))
                guard let text = scalarText(rawValue) ?? rawValue.array.flatMap({ list in
                    let parts = list.compactMap(scalarText)
                    return parts.count == list.count ? parts.joined(separator: ",") : nil
                }) else {
                    throw CLIError.usage("debt \(index + 1): field '\(rawKey)' must be a string or a number")
                }
                if key == "kind" {
                    kind = try DebtKind.parse(text)
                } else {
                    // "first_due" and "first-due" are the same field.
                    guard values.updateValue(text, forKey: key) == nil else {
                        throw CLIError.usage("debt \(index + 1): field '\(key)' is given twice")
                    }
                }
            }
            guard let kind else { throw CLIError.usage("debt \(index + 1): missing \"kind\"") }
            return (kind, values)
        }
    }

    /// A string as is, a number as its literal text; nil for anything else.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }
}

/// `vault add` with no flags on a terminal: asks for each field in turn, and again for a field
/// whose answer does not parse, keeping every other answer.
enum Interview {
    /// Fields asked for besides the required ones (advanced conventions stay at their defaults;
    /// change them later with 'vault edit').
    static let asked: Set<String> = ["currency", "method", "due-day", "credit-limit", "min-payment", "min-payment-floor",
                                     "due", "rate", "account", "note"]

    /// Strips leading and trailing tabs and space separators (Unicode category Zs), as Foundation's
    /// `trimmingCharacters(in: .whitespaces)` did; newlines are not trimmed.
    static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(Substring(scalars[first...last]))
    }

    static func ask(today: CivilDate, document: VaultDocument) throws -> (DebtKind, [String: String]) {
        func question(_ label: String, default value: String?, optional: Bool) throws -> String {
            let suffix = value.map { " [\($0)]" } ?? (optional ? " (Enter to skip)" : "")
            guard let answer = TerminalPrompt.askVisible("\(label)\(suffix): ") else { throw CLIError("cancelled: no answer on the terminal") }
            let trimmed = trimmingSpaces(answer)
            return trimmed.isEmpty ? (value ?? "") : trimmed
        }
        var kind: DebtKind?
        while kind == nil {
            kind = try? DebtKind.parse(try question("kind (loan, installment, card, informal)", default: "loan", optional: false))
        }
        let k = kind!
        var values: [String: String] = [:]
        func askField(_ f: DebtField) throws {
            let required = f.required.contains(k)
            var answer = ""
            repeat {
                answer = try question("\(f.name) — \(f.help)", default: f.promptDefault, optional: !required)
            } while answer.isEmpty && required
            values[f.name] = answer.isEmpty ? nil : answer
        }
        for f in DebtFields.all where f.kinds.contains(k) && (f.required.contains(k) || asked.contains(f.name)) {
            try askField(f)
        }
        // Validate the whole debt; ask again only for the field that is wrong.
        for _ in 0..<20 {
            do {
                _ = try DebtFields.build(kind: k, values: values, base: nil, document: document, today: today)
                return (k, values)
            } catch let e as FieldError {
                guard let f = DebtFields.field(e.field) else { throw e }
                TerminalPrompt.say("\(e.description) — please try again")
                try askField(f)
            }
        }
        throw CLIError("too many invalid answers; nothing was added", status: .usage)
    }
}
