#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DebtModel
import VaultCrypto
import VaultStorage

/// The `vault` command line. The executable only calls `VaultCLI.main`.
public enum VaultCLI {
    /// Program version.
    public static let version = "0.1.0"

    static let commands: [Command.Type] = [
        InitCommand.self, AddCommand.self, ListCommand.self, ShowCommand.self, PayCommand.self, EditCommand.self,
        CloseCommand.self, RemoveCommand.self, UndoCommand.self, RedoCommand.self,
        RemindCommand.self, SnoozeCommand.self,
        PlanCommand.self, BudgetCommand.self, AprCommand.self, AdviceCommand.self,
        ExportCommand.self, ImportCommand.self,
        InfoCommand.self, CheckCommand.self, PasswdCommand.self, DemoCommand.self, HelpCommand.self,
    ]

    static func command(named name: String) -> Command.Type? { commands.first { $0.spec.name == name } }

    /// Runs one invocation and returns its exit status. `arguments` excludes the program name.
    public static func main(arguments: [String], context: CLIContext) -> Int32 {
        let status = run(arguments: arguments, context: context)
        context.stdout.flush()
        context.stderr.flush()
        return status.rawValue
    }

    static func run(arguments: [String], context: CLIContext) -> ExitStatus {
        // The subcommand is the first bare word, skipping global options and their values.
        var index: Int?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { break }
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if GlobalOptions.valued.contains(name) { i += 1 }
            } else if !a.hasPrefix("-") {
                index = i
                break
            }
            i += 1
        }
        guard let index else {
            if arguments.contains("--version") {
                context.stdout.line("vault \(version) (vault format v1, libsodium \(Sodium.version))")
                return .success
            }
            if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
                context.stdout.write(mainHelp())
                return .success
            }
            return report(CLIError.usage("no command given", hint: "run 'vault --help' for the list of commands"), context: context, path: nil)
        }
        let name = arguments[index]
        guard let command = command(named: name) else {
            let hint = suggestion(for: name, among: commands.map { $0.spec.name }).map { "did you mean 'vault \($0)'?" }
                ?? "run 'vault --help' for the list of commands"
            return report(CLIError.usage("unknown command '\(name)'", hint: hint), context: context, path: nil)
        }
        var rest = arguments
        rest.remove(at: index)
        let parsed: ParsedArguments
        do {
            parsed = try parseArguments(rest, spec: command.spec)
        } catch {
            return report(error, context: context, path: nil)
        }
        if parsed.has("help") {
            context.stdout.write(helpText(for: command.spec))
            return .success
        }
        let invocation = Invocation(context: context, args: parsed, spec: command.spec)
        do {
            defer { invocation.reportTimings() }
            return try command.run(invocation)
        } catch {
            return report(error, context: context, path: invocation.resolvedPath)
        }
    }

    static func report(_ error: any Error, context: CLIContext, path: String?) -> ExitStatus {
        let e = CLIError(from: error, vaultPath: path ?? "the vault")
        context.stderr.line("Error: \(e.message)")
        if let hint = e.hint { context.stderr.line("hint: \(hint)") }
        if e.status == .usage {
            if let c = e.command { context.stderr.line("usage: \(VaultCLI.command(named: c)?.spec.usage ?? "vault \(c)") (see 'vault help \(c)')") }
        }
        return e.status
    }

    static func mainHelp() -> String {
        var out = """
        OVERVIEW: a private debt manager: every loan and repayment in one encrypted file

        Your data lives in one file encrypted with Argon2id and XChaCha20-Poly1305 (libsodium),
        unlocked by a passphrase. Nothing leaves the machine; nothing is written unencrypted.

        USAGE: vault <command> [options]

        COMMANDS:

        """
        for c in commands { out += pad("  " + c.spec.name, c.spec.abstract, width: 16) }
        out += """

        GLOBAL OPTIONS:
          --vault PATH                  vault file (default: $XDG_DATA_HOME/debt-vault/vault.dv,
                                        else ~/.local/share/debt-vault/vault.dv)
          --passphrase-file PATH        read the passphrase from a file (one trailing newline stripped)
          --passphrase-fd N             read the passphrase from file descriptor N
          --passphrase-command CMD      use the standard output of CMD (run by /bin/sh)
                                        (without these, vault asks on the terminal; never from argv or env)
          --wait SECONDS                wait this long for another vault process (default 10)
          --json                        machine-readable output on commands that print data
          -h, --help                    help; 'vault help <command>' for one command
          --version                     print the version

        EXIT STATUS:
          0   success
          1   any other error
          10  'vault remind --quiet': something needs attention
          64  usage error (bad flag, bad value)
          65  vault damaged or not a vault (changed bytes, truncated, unsupported version)
          66  no vault at the path
          73  cannot write (disk full, permissions, vault already exists on init)
          75  vault busy: another vault process holds the lock
          77  wrong passphrase (the file itself is intact)

        """
        return out
    }
}

/// One subcommand: its interface and its work.
protocol Command: Sendable {
    static var spec: CommandSpec { get }
    static func run(_ invocation: Invocation) throws -> ExitStatus
}

/// A parsed invocation with the helpers commands share.
final class Invocation {
    let context: CLIContext
    let args: ParsedArguments
    let spec: CommandSpec
    private(set) var resolvedPath: String?

    init(context: CLIContext, args: ParsedArguments, spec: CommandSpec) {
        self.context = context
        self.args = args
        self.spec = spec
        self.resolvedPath = args.value("vault")
        self.timings = args.has("timings") ? StageTimings() : nil
    }

    /// Prints the stage breakdown to stderr (`--timings`).
    func reportTimings() {
        guard let timings else { return }
        let total = timings.elapsed
        let measured = timings.stages.reduce(0) { $0 + $1.seconds }
        err.line("timings (ms):")
        for (name, seconds) in timings.stages { err.write(pad("  \(name)", String(format3(seconds * 1000)), width: 30)) }
        // Work done on a second core meanwhile: shown, but not part of the total.
        for (name, seconds) in timings.concurrentStages { err.write(pad("  \(name)", String(format3(seconds * 1000)), width: 30)) }
        err.write(pad("  output", String(format3(max(0, total - measured) * 1000)), width: 30))
        err.write(pad("  total", String(format3(total * 1000)), width: 30))
    }

    var out: OutputStream { context.stdout }
    var err: OutputStream { context.stderr }
    var json: Bool { args.has("json") }
    /// Stage timings, when --timings was given.
    let timings: StageTimings?

    func vaultPath() throws -> String {
        if let p = resolvedPath { return p }
        let p = try context.defaultVaultPath()
        resolvedPath = p
        return p
    }

    func store() throws -> VaultStore {
        var wait = 10.0
        if let w = args.value("wait") {
            guard let v = Double(w), v >= 0, v <= 86_400 else { throw CLIError.usage("--wait needs a number of seconds, got '\(w)'", command: spec.name) }
            wait = v
        }
        let store = VaultStore(path: try vaultPath(), policy: context.kdfPolicy, lockWaitSeconds: wait)
        store.timings = timings
        return store
    }

    /// The passphrase from --passphrase-file/-fd/-command, or the terminal.
    func passphrase(prompt: String = "passphrase: ", confirm: Bool = false) throws -> SecureBytes {
        if let p = context.passphraseOverride { return p }
        let source = try PassphraseSource.from(args)
        if source == .prompt && !(context.interactive && TerminalPrompt.isAvailable) {
            throw CLIError("no passphrase source and no terminal to ask on", hint: "use --passphrase-file PATH, --passphrase-fd N or --passphrase-command CMD", status: .usage)
        }
        return try PassphraseReader.read(source, prompt: prompt, confirm: confirm)
    }

    /// Today's date: --today, else the context's clock.
    func today() throws -> CivilDate {
        if let text = args.value("today") {
            do { return try CivilDate.parse(text, field: "today") } catch {
                throw CLIError.usage("\(error)", hint: "write dates as YYYY-MM-DD", command: spec.name)
            }
        }
        let t = context.today()
        guard let d = CivilDate(year: t.year, month: t.month, day: t.day) else { throw CLIError("the system clock gives an invalid date") }
        return d
    }

    /// Fails early with 66 when there is no vault, before asking for a passphrase.
    func requireVault(_ store: VaultStore) throws {
        if !store.exists { throw StorageError.noVault(path: store.path) }
    }

    /// Unlocks the vault and decodes its document.
    func unlock() throws -> (VaultStore, VaultSession) {
        let store = try store()
        try requireVault(store)
        // Damage is reported before anyone is asked for a passphrase: before the terminal prompt, a
        // passphrase command, or a file or descriptor that may be a person typing (a terminal, a FIFO),
        // the whole file is checked first. A regular passphrase file or a descriptor that is not a
        // terminal asks no one, so there a large vault's checksum is checked on a second core while the
        // KDF runs, and damage still wins over whatever the KDF and the key slot would say.
        var asksNoOne = context.passphraseOverride != nil
        switch try PassphraseSource.from(args) {
        case let .file(path):
            // A regular file; not /dev/tty or a FIFO someone types into.
            var st = stat()
            asksNoOne = stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        case let .fd(n):
            asksNoOne = isatty(n) == 0  // --passphrase-fd 0 on a terminal is someone typing
        case .command, .prompt: break
        }
        if !asksNoOne {
            let read = try store.readFile()
            return (store, try store.unlock(passphrase: try passphrase(), read: read))
        }
        let (read, pending) = try store.readFileDeferringChecksum()
        let secret: SecureBytes
        do { secret = try passphrase() } catch {
            if pending { try store.verifyChecksum(of: read) }
            throw error
        }
        return (store, try store.unlock(passphrase: secret, read: read, checksumPending: pending))
    }
}

/// Milliseconds with three decimals, without Foundation.
func format3(_ ms: Double) -> String {
    let scaled = Int((ms * 1000).rounded())
    let frac = scaled % 1000
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
}
