import VaultCrypto
import VaultStorage

enum InitCommand: Command {
    static let spec = CommandSpec(
        name: "init", abstract: "create a new encrypted vault",
        usage: "vault init [--kdf interactive|moderate|sensitive] [--vault PATH] [passphrase source]",
        discussion: """
        Chooses a passphrase (asked twice on the terminal unless a passphrase source is given) and
        creates an empty vault. Refuses to overwrite an existing vault. The passphrase cannot be
        recovered: without it the data is gone.
        """,
        options: [OptionSpec("kdf", value: "PRESET", "Argon2id cost: interactive (64 MiB, 2 passes), moderate (256 MiB, 3; default), sensitive (1 GiB, 4)")],
        examples: ["vault init", "vault init --kdf sensitive --vault ~/safe/debts.dv", "vault init --passphrase-file ~/.config/debt-vault/pass"],
        takesJSON: true, takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let kdf = try kdfParameters(inv, default: .moderate)
        let store = try inv.store()
        if store.exists { throw StorageError.alreadyExists(path: store.path) }
        let passphrase = try inv.passphrase(prompt: "new passphrase: ", confirm: true)
        if let warning = PassphraseReader.weaknessWarning(passphrase) { inv.err.line(warning) }
        var payload = DocumentIO.emptyPayload(inv)
        defer { Sodium.zero(&payload) }
        _ = try payload.withUnsafeBytes { try store.create(payload: $0, passphrase: passphrase, kdf: kdf) }
        if inv.json {
            inv.out.line(JSON.object([("path", .string(store.path)), ("kdf", kdfJSON(kdf)), ("created", .bool(true))]).render())
        } else {
            inv.out.line("created an empty vault at \(store.path)")
            inv.out.line("key derivation: \(kdf)")
            inv.out.line("remember the passphrase: nobody can recover it, and without it the data is lost")
        }
        return .success
    }

    /// The KDF parameters a `--kdf` flag asks for (the library-only override wins in tests).
    static func kdfParameters(_ inv: Invocation, default fallback: KDFParameters) throws -> KDFParameters {
        var kdf = fallback
        if let name = inv.args.value("kdf") {
            guard let preset = KDFParameters.preset(named: name) else {
                throw CLIError.usage("unknown --kdf '\(name)'", hint: "use interactive, moderate or sensitive", command: inv.spec.name)
            }
            kdf = preset
        }
        return inv.context.kdfOverride ?? kdf
    }
}

func kdfJSON(_ kdf: KDFParameters) -> JSON {
    .object([("algorithm", .string("argon2id13")), ("opslimit", .int(Int64(kdf.opslimit))),
             ("memlimit", .int(Int64(kdf.memlimit))), ("preset", kdf.presetName.map { .string($0) } ?? .null)])
}
