#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        let path = dir + "/vault.dv"
        inv.out.line("# a throwaway vault in \(dir), with a random passphrase held only in memory")
        for step in steps {
            let args = step + ["--vault", path]
            inv.out.line("")
            inv.out.line("$ vault " + step.joined(separator: " "))
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

    static var steps: [[String]] {
        [["init", "--kdf", "interactive"], ["info"], ["check"]] + DemoData.steps
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

/// The debt commands the demo runs after init (extended as commands are added).
enum DemoData {
    static var steps: [[String]] { [] }
}
