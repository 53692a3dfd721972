import DebtModel

enum EditCommand: Command {
    static let spec = CommandSpec(
        name: "edit", abstract: "change fields of a debt",
        usage: "vault edit <id> --FIELD VALUE ...",
        discussion: "Any field 'vault add' accepts can be changed, except the kind. 'vault undo' takes an edit back.",
        arguments: [("<id>", "the debt to change")],
        options: DebtFields.all.filter { $0.name != "id" }.map(\.option),
        examples: ["vault edit card1 --balance 4800 --statement-date 2027-01-01", "vault edit loan1 --lead-days 7,3,1,0"],
        takesJSON: true, takesToday: true, takesWait: true, maxPositionals: 1, minPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        var changes: [String: String] = [:]
        for f in DebtFields.all { if let v = inv.args.value(f.name) { changes[f.name] = v } }
        if changes["id"] != nil { throw CLIError.usage("the id of a debt cannot be changed", command: spec.name) }
        guard !changes.isEmpty else { throw CLIError.usage("nothing to change: give at least one --FIELD VALUE", command: spec.name) }
        let today = try inv.today()
        guard let (change, doc) = try inv.changeDocument({ doc -> (Change, String) in
            guard let old = doc.debt(id: id) else { throw VaultChangeError.unknownDebt(id) }
            var values = DebtFields.values(of: old)
            if let code = changes["currency"], code != old.currency.code {
                guard doc.payments(forDebt: id).isEmpty else {
                    throw CLIError.usage("\(id) has payments in \(old.currency.code); its currency cannot change",
                                         hint: "add a new debt in \(code) and close this one", command: spec.name)
                }
                try DebtFields.convertAmounts(&values, to: code, given: Set(changes.keys))
            }
            values.merge(changes) { _, new in new }
            let updated = try DebtFields.build(kind: old.kind, values: values, base: old, document: doc, today: today)
            return (try doc.editDebt(updated), updated.id)
        }) else { return .failure }
        if inv.json {
            inv.out.line(DebtJSON.summary(doc.debt(id: change.1)!, document: doc, today: today).render())
        } else {
            inv.out.line(change.0.description)
        }
        return .success
    }
}

enum CloseCommand: Command {
    static let spec = CommandSpec(
        name: "close", abstract: "mark a debt as paid off or settled",
        usage: "vault close <id> [--settled] [--date YYYY-MM-DD]",
        discussion: "A closed debt leaves 'vault list' (see it with --all) and stops reminding. 'vault undo' reopens it.",
        arguments: [("<id>", "the debt to close")],
        options: [OptionSpec("settled", "settled for less than the balance (default: paid off)"),
                  OptionSpec("date", value: "YYYY-MM-DD", "date of closing (default: today)")],
        takesToday: true, takesWait: true, maxPositionals: 1, minPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        let date = try inv.args.value("date").map { try CivilDate.parse($0, field: "date") } ?? inv.today()
        let reason: CloseReason = inv.args.has("settled") ? .settled : .paidOff
        guard let (change, _) = try inv.changeDocument({ doc in try doc.closeDebt(id: id, on: date, reason: reason) }) else { return .failure }
        inv.out.line(change.description)
        return .success
    }
}

enum RemoveCommand: Command {
    static let spec = CommandSpec(
        name: "remove", abstract: "delete a debt and its payments (undoable)",
        usage: "vault remove <id> [--yes]",
        discussion: "Asks for confirmation on a terminal; scripts pass --yes. 'vault undo' brings the debt and its payments back.",
        arguments: [("<id>", "the debt to remove")],
        options: [OptionSpec("yes", short: "y", "do not ask for confirmation")],
        takesWait: true, maxPositionals: 1, minPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        if !inv.args.has("yes") {
            guard inv.context.interactive, TerminalPrompt.isAvailable else {
                throw CLIError.usage("refusing to remove '\(id)' without confirmation", hint: "pass --yes to confirm", command: spec.name)
            }
            let answer = TerminalPrompt.askVisible("remove debt \(id) and all its payments? (it can be undone with 'vault undo') [y/N]: ")
            guard let a = answer?.lowercased(), a == "y" || a == "yes" else {
                inv.err.line("nothing removed")
                return .failure
            }
        }
        guard let (change, _) = try inv.changeDocument({ doc in try doc.removeDebt(id: id) }) else { return .failure }
        inv.out.line(change.description + " (undo with 'vault undo')")
        return .success
    }
}

enum UndoCommand: Command {
    static let spec = CommandSpec(
        name: "undo", abstract: "take back the last change (an undo can itself be undone with 'vault redo')",
        usage: "vault undo [--list]",
        discussion: "Keeps the last \(VaultDocument.historyLimit) changes. --list shows them, newest first, without changing anything.",
        options: [OptionSpec("list", "show the changes that can be undone")],
        takesJSON: true, takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        if inv.args.has("list") {
            let (_, _, doc) = try inv.loadDocument()
            if inv.json {
                inv.out.line(JSON.array(doc.undoableChanges.map { .string($0) }).render())
            } else if doc.undoableChanges.isEmpty {
                inv.out.line("nothing to undo")
            } else {
                for (i, c) in doc.undoableChanges.enumerated() { inv.out.line("\(i + 1). \(c)") }
            }
            return .success
        }
        guard let (change, _) = try inv.changeDocument({ doc in try doc.undo() }) else { return .failure }
        inv.out.line(change.description)
        return .success
    }
}

enum RedoCommand: Command {
    static let spec = CommandSpec(
        name: "redo", abstract: "re-apply the last undone change",
        usage: "vault redo", takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        guard let (change, _) = try inv.changeDocument({ doc in try doc.redo() }) else { return .failure }
        inv.out.line(change.description)
        return .success
    }
}
