import VaultStorage

enum CheckCommand: Command {
    static let spec = CommandSpec(
        name: "check", abstract: "unlock and verify the whole vault and its backup generation",
        usage: "vault check [--vault PATH] [passphrase source] [--json]",
        discussion: "Exits 0 only when the vault and its backup (when there is one) are intact and decode.",
        examples: ["vault check", "vault check --passphrase-file ~/.config/debt-vault/pass --json"],
        takesJSON: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let store = try inv.store()
        try inv.requireVault(store)
        let read = try store.readFile()  // report damage before asking for a passphrase
        let passphrase = try inv.passphrase()
        var vaultSummary = ""
        var backupSummary = ""
        let (_, report) = try store.verify(passphrase: passphrase, read: read) { payload in
            let s = try DocumentIO.summary(payload)
            if vaultSummary.isEmpty { vaultSummary = s } else { backupSummary = s }
        }
        let backupText: String
        var status = ExitStatus.success
        var backupJSON: JSON
        switch report.backup {
        case nil:
            backupText = "none"
            backupJSON = .string("none")
        case .success:
            backupText = "ok (\(backupSummary))"
            backupJSON = .string("ok")
        case .failure(.wrongPassphrase):
            // Intact (its checksum matched) but sealed under another passphrase: an interrupted 'vault passwd'.
            backupText = "intact, but sealed under a different passphrase (was a 'vault passwd' interrupted?)"
            backupJSON = .string("other-passphrase")
            status = .failure
        case .failure(let e):
            backupText = "DAMAGED: \(e.message)"
            backupJSON = .string(e.code)
            status = .damaged
        }
        if inv.json {
            inv.out.line(JSON.object([("vault", .string("ok")), ("contents", .string(vaultSummary)),
                                      ("backup", backupJSON), ("ok", .bool(status == .success))]).render())
        } else {
            inv.out.line("vault:  ok (\(vaultSummary))")
            inv.out.line("backup: \(backupText)")
        }
        if status == .damaged {
            inv.err.line("Error: the backup generation \(store.backupPath) is damaged")
            inv.err.line("hint: the vault itself is intact; the next save replaces the backup with a good copy")
        } else if status == .failure {
            inv.err.line("Error: the backup generation \(store.backupPath) does not open with this passphrase")
            inv.err.line("hint: run 'vault passwd' again with the same new passphrase to re-seal it; the vault itself is intact")
        }
        return status
    }
}
