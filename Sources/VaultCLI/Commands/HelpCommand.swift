enum HelpCommand: Command {
    static let spec = CommandSpec(
        name: "help", abstract: "show help for a command", usage: "vault help [<command>]",
        arguments: [("<command>", "the command to explain")], takesPassphrase: false, maxPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        guard let name = inv.args.positionals.first else {
            inv.out.write(VaultCLI.mainHelp())
            return .success
        }
        guard let command = VaultCLI.command(named: name) else {
            let hint = suggestion(for: name, among: VaultCLI.commands.map { $0.spec.name }).map { "did you mean '\($0)'?" }
            throw CLIError.usage("unknown command '\(name)'", hint: hint)
        }
        inv.out.write(helpText(for: command.spec))
        return .success
    }
}
