/// One option a command accepts.
struct OptionSpec: Sendable {
    /// Long name without dashes, e.g. "vault".
    let name: String
    /// Short letter, e.g. "h", if any.
    let short: Character?
    /// Placeholder for the value, or nil for a flag.
    let valueName: String?
    /// One-line help.
    let help: String
    /// Whether it may be given more than once.
    let repeatable: Bool

    init(_ name: String, short: Character? = nil, value: String? = nil, repeatable: Bool = false, _ help: String) {
        self.name = name
        self.short = short
        self.valueName = value
        self.help = help
        self.repeatable = repeatable
    }
}

/// A subcommand's interface: its help text and the options it accepts.
struct CommandSpec: Sendable {
    let name: String
    let abstract: String
    let usage: String
    var discussion: String = ""
    var arguments: [(String, String)] = []
    var options: [OptionSpec] = []
    var examples: [String] = []
    /// Global option groups this command takes.
    var takesPassphrase = true
    var takesJSON = false
    var takesToday = false
    var takesWait = false
    var maxPositionals = 0
    var minPositionals = 0
}

/// The options every command shares.
enum GlobalOptions {
    static let vault = OptionSpec("vault", value: "PATH", "vault file (default: $XDG_DATA_HOME/debt-vault/vault.dv or ~/.local/share/debt-vault/vault.dv)")
    static let passphraseFile = OptionSpec("passphrase-file", value: "PATH", "read the passphrase from a file (one trailing newline is stripped)")
    static let passphraseFD = OptionSpec("passphrase-fd", value: "N", "read the passphrase from open file descriptor N")
    static let passphraseCommand = OptionSpec("passphrase-command", value: "CMD", "run CMD with /bin/sh and use its standard output as the passphrase")
    static let json = OptionSpec("json", "print machine-readable JSON (see docs/cli.md)")
    static let today = OptionSpec("today", value: "YYYY-MM-DD", "act as if today were this date (default: the local date)")
    static let wait = OptionSpec("wait", value: "SECONDS", "how long to wait for another vault process to finish (default 10)")
    static let help = OptionSpec("help", short: "h", "show help for this command")
    static let timings = OptionSpec("timings", "print the time of each stage (read, KDF, decrypt, decode, ..., write) to stderr")

    static func all(for spec: CommandSpec) -> [OptionSpec] {
        var out = [vault]
        if spec.takesPassphrase { out += [passphraseFile, passphraseFD, passphraseCommand] }
        if spec.takesWait { out.append(wait) }
        if spec.takesToday { out.append(today) }
        if spec.takesJSON { out.append(json) }
        if spec.takesPassphrase { out.append(timings) }
        out.append(help)
        return out
    }

    /// Options that take a value, anywhere on the command line (used to find the subcommand name).
    static let valued: Set<String> = ["vault", "passphrase-file", "passphrase-fd", "passphrase-command", "today", "wait"]
}

/// The parsed command line of one subcommand.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name]?.last }
    func has(_ flag: String) -> Bool { flags.contains(flag) }
}

/// Splits arguments for `spec`: `--flag value`, `--flag=value`, bundled short flags, `--` terminator.
func parseArguments(_ args: [String], spec: CommandSpec) throws(CLIError) -> ParsedArguments {
    let options = spec.options + GlobalOptions.all(for: spec)
    var result = ParsedArguments()
    var i = 0
    var onlyPositionals = false
    func find(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
    while i < args.count {
        let arg = args[i]
        i += 1
        if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
            result.positionals.append(arg)
            continue
        }
        if arg == "--" {
            onlyPositionals = true
            continue
        }
        if arg.hasPrefix("--") {
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let opt = find(name) else {
                let hint = suggestion(for: name, among: options.map(\.name)).map { "did you mean --\($0)?" }
                throw CLIError.usage("unknown option --\(name) for 'vault \(spec.name)'", hint: hint, command: spec.name)
            }
            if opt.valueName != nil {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard i < args.count else {
                        throw CLIError.usage("option --\(name) needs a value (\(opt.valueName!))", command: spec.name)
                    }
                    value = args[i]
                    i += 1
                }
                if !opt.repeatable, result.values[name] != nil {
                    throw CLIError.usage("option --\(name) was given more than once", command: spec.name)
                }
                result.values[name, default: []].append(value)
            } else {
                if inline != nil { throw CLIError.usage("option --\(name) does not take a value", command: spec.name) }
                result.flags.insert(name)
            }
            continue
        }
        // Short options, possibly bundled: -hy
        let letters = Array(arg.dropFirst())
        for (k, letter) in letters.enumerated() {
            guard let opt = options.first(where: { $0.short == letter }) else {
                if letters.allSatisfy({ $0.isNumber || $0 == "." }) {
                    // A negative number given as an argument.
                    result.positionals.append(arg)
                    break
                }
                throw CLIError.usage("unknown option -\(letter) for 'vault \(spec.name)'", command: spec.name)
            }
            if opt.valueName != nil {
                let rest = String(letters[(k + 1)...])
                if !rest.isEmpty {
                    result.values[opt.name, default: []].append(rest)
                } else {
                    guard i < args.count else { throw CLIError.usage("option -\(letter) needs a value", command: spec.name) }
                    result.values[opt.name, default: []].append(args[i])
                    i += 1
                }
                break
            }
            result.flags.insert(opt.name)
        }
    }
    if result.has("help") { return result }
    if result.positionals.count > spec.maxPositionals {
        let extra = result.positionals[spec.maxPositionals]
        throw CLIError.usage("unexpected argument '\(extra)'", command: spec.name)
    }
    if result.positionals.count < spec.minPositionals {
        throw CLIError.usage("missing argument \(spec.arguments[result.positionals.count].0)", command: spec.name)
    }
    return result
}

/// The closest candidate within edit distance 2, for "did you mean".
func suggestion(for word: String, among candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : (b.isEmpty ? a.count : prev[b.count])
    }
    let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
    return scored.min { $0.1 < $1.1 }?.0
}

/// Renders help in the argument-parser layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS, EXAMPLES.
func helpText(for spec: CommandSpec) -> String {
    var out = "OVERVIEW: \(spec.abstract)\n"
    if !spec.discussion.isEmpty { out += "\n\(spec.discussion)\n" }
    out += "\nUSAGE: \(spec.usage)\n"
    if !spec.arguments.isEmpty {
        out += "\nARGUMENTS:\n"
        for (name, help) in spec.arguments { out += pad("  " + name, help) }
    }
    out += "\nOPTIONS:\n"
    for opt in spec.options + GlobalOptions.all(for: spec) {
        var left = "  "
        if let s = opt.short { left += "-\(s), " }
        left += "--\(opt.name)"
        if let v = opt.valueName { left += " \(v)" }
        out += pad(left, opt.help)
    }
    if !spec.examples.isEmpty {
        out += "\nEXAMPLES:\n"
        for e in spec.examples { out += "  \(e)\n" }
    }
    return out
}

func pad(_ left: String, _ right: String, width: Int = 32) -> String {
    if left.count >= width - 1 { return left + "\n" + String(repeating: " ", count: width) + right + "\n" }
    return left + String(repeating: " ", count: width - left.count) + right + "\n"
}
