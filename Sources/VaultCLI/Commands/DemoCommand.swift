#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DebtModel
import VaultCrypto

enum DemoCommand: Command {
    static let spec = CommandSpec(
        name: "demo", abstract: "walk through vault in a throwaway directory",
        usage: "vault demo",
        discussion: """
        Creates a vault in a new private temporary directory with a random passphrase that exists only
        in memory, fills it with a realistic mix of debts, runs the everyday commands against it, then
        deletes the directory. Your own vault is never touched.
        """,
        takesPassphrase: false)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        var template = Array((ProcessInfoLite.tempDirectory + "/vault-demo-XXXXXX").utf8CString)
        guard let dirPointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CLIError("cannot create a temporary directory: \(String(cString: strerror(errno)))", status: .cannotWrite)
        }
        let dir = String(cString: dirPointer)
        defer { removeTree(dir) }
        var context = inv.context
        context.passphraseOverride = try SecureBytes.random(count: 32)
        context.interactive = false
        context.stderr = context.stdout  // warnings appear next to the step that printed them
        let path = dir + "/vault.dv"
        inv.out.line("# a throwaway vault in \(dir), with a random passphrase held only in memory")
        for step in steps(today: try inv.today()) {
            let args = step + ["--vault", path]
            inv.out.line("")
            inv.out.line("$ vault " + step.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " "))
            let status = VaultCLI.run(arguments: args, context: context)
            if status != .success {
                inv.err.line("Error: the demo step 'vault \(step.joined(separator: " "))' failed with status \(status.rawValue)")
                return status
            }
        }
        inv.out.line("")
        inv.out.line("# done; the demo directory is being deleted. Start for real with 'vault init'.")
        return .success
    }

    static func steps(today: CivilDate) -> [[String]] {
        [["init", "--kdf", "interactive"], ["info"]] + DemoData.steps(today: today) + [["check"]]
    }

    static func removeTree(_ dir: String) {
        if let d = opendir(dir) {
            while let e = readdir(d) {
                let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
                if name != "." && name != ".." { unlink(dir + "/" + name) }
            }
            closedir(d)
        }
        rmdir(dir)
    }
}

enum ProcessInfoLite {
    static var tempDirectory: String {
        if let t = getenv("TMPDIR"), t.pointee != 0 { return String(cString: t) }
        return "/tmp"
    }
}

/// The debts of the demo: a realistic mix, dated relative to today so that one card is always in grace.
enum DemoData {
    static func steps(today: CivilDate) -> [[String]] {
        func d(_ days: Int) -> CivilDate { today.adding(days: days)! }
        func m(_ months: Int, day: Int) -> String { CivilDate.monthly(from: today, day: day, offset: months)!.description }
        let cardDue = d(-1)                        // due yesterday, unpaid: in grace
        let cardStatement = cardDue.adding(days: -20)!
        return [
            ["add", "--kind", "loan", "--name", "City Bank mortgage", "--principal", "800000", "--rate", "4.2%",
             "--months", "240", "--first-due", m(-2, day: 15), "--account", "MORTGAGE-0042"],
            ["add", "--kind", "card", "--name", "Merchants Bank card", "--balance", "5200", "--statement-day", String(d(-10).day),
             "--due-day", String(d(10).day), "--statement-date", d(-10).description, "--min-payment", "10%", "--credit-limit", "30000"],
            ["add", "--kind", "card", "--name", "Travel card", "--balance", "1860.40", "--statement-day", String(cardStatement.day),
             "--due-day", String(cardDue.day), "--statement-date", cardStatement.description, "--min-payment", "10%",
             "--min-payment-floor", "100"],
            ["add", "--kind", "card", "--id", "huabei", "--name", "Huabei-style credit line", "--balance", "2380",
             "--statement-day", "1", "--due-day", "10"],
            ["add", "--kind", "installment", "--name", "Phone, 12 months", "--principal", "6999", "--months", "12",
             "--fee", "0.6%/month", "--first-due", m(-1, day: 12)],
            ["add", "--kind", "informal", "--name", "Aunt Li", "--balance", "3000", "--due", d(180).description],
            // For the remind screen: one card overdue (due 8 days ago), money due today, an installment due in 3 days.
            ["add", "--kind", "card", "--id", "store", "--name", "Department store card", "--balance", "1200",
             "--statement-day", String(d(-28).day), "--due-day", String(d(-8).day), "--statement-date", d(-28).description],
            ["add", "--kind", "informal", "--id", "lunch", "--name", "Colleague Zhou (lunch fund)", "--balance", "300", "--due", d(0).description],
            ["add", "--kind", "installment", "--id", "laptop", "--name", "Laptop, 6 months", "--principal", "4800", "--months", "6",
             "--fee", "0.5%/month", "--first-due", d(3).description],
            ["pay", "loan1", "4932.57", "--date", m(-2, day: 15)],
            ["pay", "loan1", "4932.57", "--date", m(-1, day: 15)],
            ["pay", "installment1", "625.24", "--date", m(-1, day: 12)],
            ["list"],
            ["show", "card2"],
            ["remind"],
            ["budget", "--income", "18000", "--expenses", "9000", "--payday", "10"],
            ["plan", "--compare"],
            ["plan", "--months", "6"],
            ["plan", "--lump-sum-vs-installments", "huabei"],
            ["advice"],
            ["apr", "--amount", "10000", "--months", "12", "--monthly-fee", "0.6%", "--compare-revolving", "0.05%/day"],
            ["pay", "card2", "186.04", "--note", "minimum"],
            ["list"],
            ["undo"],
            ["export", "--redacted"],
        ]
    }
}
