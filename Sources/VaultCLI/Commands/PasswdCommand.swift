import VaultCrypto
import VaultStorage

enum PasswdCommand: Command {
    static let spec = CommandSpec(
        name: "passwd", abstract: "change the passphrase, the key-derivation cost, or the data key",
        usage: "vault passwd [--new-passphrase-file PATH | --new-passphrase-fd N] [--kdf PRESET] [--rotate-key]",
        discussion: """
        Re-seals the data key under the new passphrase: only the header changes, the encrypted
        payload stays byte for byte. The backup generation is re-sealed too, so no file opens with
        the old passphrase afterwards. --rotate-key also re-encrypts everything under a new data key,
        for when an old copy of the file and the old passphrase may both be in someone's hands.
        """,
        options: [
            OptionSpec("new-passphrase-file", value: "PATH", "read the new passphrase from a file"),
            OptionSpec("new-passphrase-fd", value: "N", "read the new passphrase from file descriptor N"),
            OptionSpec("kdf", value: "PRESET", "new Argon2id cost: interactive, moderate or sensitive (default: keep)"),
            OptionSpec("rotate-key", "also replace the data key and re-encrypt the payload and backup"),
        ],
        examples: ["vault passwd", "vault passwd --kdf sensitive", "vault passwd --passphrase-file old.txt --new-passphrase-file new.txt"],
        takesWait: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        // Check everything that needs no passphrase before running the KDF.
        let newSource = try PassphraseSource.from(inv.args, file: "new-passphrase-file", fd: "new-passphrase-fd", command: nil)
        if newSource == .prompt && !(inv.context.interactive && TerminalPrompt.isAvailable) {
            throw CLIError("no source for the new passphrase and no terminal to ask on",
                           hint: "use --new-passphrase-file PATH or --new-passphrase-fd N", status: .usage)
        }
        let requestedKDF = try inv.args.value("kdf").map { _ in try InitCommand.kdfParameters(inv, default: .moderate) }
        let (store, session) = try inv.unlock()
        let kdf = requestedKDF ?? inv.context.kdfOverride ?? session.dataKey.kdf
        let newPassphrase = try PassphraseReader.read(newSource, prompt: "new passphrase: ", confirm: true)
        if let warning = PassphraseReader.weaknessWarning(newPassphrase) { inv.err.line(warning) }
        let rotate = inv.args.has("rotate-key")
        try store.changePassphrase(session, newPassphrase: newPassphrase, kdf: kdf, rotateKey: rotate)
        inv.out.line("passphrase changed; key derivation: \(kdf)")
        inv.out.line(rotate ? "the data key was replaced and everything re-encrypted" : "the encrypted payload was kept as is; only the key slot changed")
        return .success
    }
}
