import DebtModel
import Foundation

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
                inputs = [try Interview.ask()]
            } else {
                throw CLIError.usage("--kind is required with flags (loan, installment, card or informal)",
                                     hint: "run 'vault add' alone on a terminal to be asked for each field", command: spec.name)
            }
        }
        guard !inputs.isEmpty else { throw CLIError.usage("no debt given", command: spec.name) }
        let added = try inv.changeDocument { doc -> [Debt] in
            var debts: [Debt] = []
            for (kind, values) in inputs {
                let debt = try DebtFields.build(kind: kind, values: values, base: nil, document: doc, today: today)
                _ = try doc.addDebt(debt)
                debts.append(debt)
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
        return .success
    }
}

/// Reads debts from JSON: an object or an array of objects whose keys are field names.
enum JSONDebtInput {
    static func read(_ data: [UInt8]) throws -> [(DebtKind, [String: String])] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(data)) } catch {
            throw CLIError.usage("standard input is not valid JSON")
        }
        let items: [[String: Any]]
        if let one = object as? [String: Any] { items = [one] } else if let many = object as? [[String: Any]] { items = many } else {
            throw CLIError.usage("expected a JSON object or an array of objects")
        }
        return try items.enumerated().map { (index, item) in
            var values: [String: String] = [:]
            var kind: DebtKind?
            for (rawKey, rawValue) in item {
                let key = rawKey.replacingOccurrences(of: "_", with: "-")
                let text: String
                switch rawValue {
                case let s as String: text = s
                case let n as NSNumber: text = n.stringValue
                case let a as [Any]: text = a.map { "\($0)" }.joined(separator: ",")
                default: throw CLIError.usage("debt \(index + 1): field '\(rawKey)' must be a string or a number")
                }
                if key == "kind" { kind = try DebtKind.parse(text) } else { values[key] = text }
            }
            guard let kind else { throw CLIError.usage("debt \(index + 1): missing \"kind\"") }
            return (kind, values)
        }
    }
}

/// `vault add` with no flags on a terminal: asks for each field in turn.
enum Interview {
    static func ask() throws -> (DebtKind, [String: String]) {
        func question(_ label: String, default value: String?) throws -> String {
            let prompt = value.map { "\(label) [\($0)]: " } ?? "\(label): "
            guard let answer = TerminalPrompt.askVisible(prompt) else { throw CLIError("cancelled: no answer on the terminal") }
            let trimmed = answer.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? (value ?? "") : trimmed
        }
        var kind: DebtKind?
        while kind == nil {
            kind = try? DebtKind.parse(try question("kind (loan, installment, card, informal)", default: "loan"))
        }
        var values: [String: String] = [:]
        for f in DebtFields.all where f.kinds.contains(kind!) && (f.required.contains(kind!) || f.promptDefault != nil || ["currency", "note"].contains(f.name)) {
            var answer = ""
            repeat {
                answer = try question("\(f.name) — \(f.help)", default: f.promptDefault)
            } while answer.isEmpty && f.required.contains(kind!)
            if !answer.isEmpty { values[f.name] = answer }
        }
        return (kind!, values)
    }
}
