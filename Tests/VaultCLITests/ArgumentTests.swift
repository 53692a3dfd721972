#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VaultCLI
import VaultCrypto
import VaultStorage

// In-process tests of the command line through `VaultCLI.main(arguments:context:)` with
// `CLIContext.testing`: captured streams and libsodium's minimum Argon2id cost (library-only).

struct CLIRun: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "status=\(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

func cli(_ args: [String], environment: [String: String] = [:]) -> CLIRun {
    let context = CLIContext.testing(today: (2025, 3, 14), environment: environment)
    let status = VaultCLI.main(arguments: args, context: context)
    return CLIRun(status: status, stdout: context.stdout.captured, stderr: context.stderr.captured)
}

/// Passphrase files and a vault path inside a temporary directory.
struct CLIWorkspace {
    let root: String
    var vault: String { root + "/v/vault.dv" }
    var old: String { root + "/old" }
    var new: String { root + "/new" }
    var wrong: String { root + "/wrong" }

    init(_ root: String) throws {
        self.root = root
        try writeText(old, "first passphrase, long enough\n")
        try writeText(new, "second passphrase, long enough")
        try writeText(wrong, "not it")
    }

    func create() throws {
        let r = cli(["init", "--vault", vault, "--passphrase-file", old])
        try #require(r.status == 0, "\(r)")
    }
}

@Suite("VaultCLI in process")
struct ArgumentTests {
    @Test func initInfoCheckPasswd() throws {
        try withTempDirectory { root in
            let ws = try CLIWorkspace(root)
            let created = cli(["init", "--kdf", "interactive", "--vault", ws.vault, "--passphrase-file", ws.old])
            #expect(created.status == 0, "\(created)")
            #expect(created.stdout.contains("created an empty vault at \(ws.vault)"))
            #expect(created.stderr.isEmpty, "a long passphrase gets no warning: \(created)")

            let info = cli(["info", "--json", "--vault", ws.vault])
            #expect(info.status == 0, "\(info)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
            #expect(json["format_version"] as? Int == 1)
            let kdf = try #require(json["kdf"] as? [String: Any])
            // The test context's library-only override wins over --kdf.
            #expect(kdf["opslimit"] as? Int == 1)
            #expect(kdf["memlimit"] as? Int == 8192)
            #expect(kdf["preset"] is NSNull)

            let text = cli(["info", "--vault", ws.vault])
            #expect(text.status == 0)
            #expect(text.stdout.contains("8192 bytes, 1 passes"))
            #expect(text.stdout.contains("backup:"))

            let check = cli(["check", "--vault", ws.vault, "--passphrase-file", ws.old])
            #expect(check.status == 0, "\(check)")
            #expect(check.stdout.contains("vault:  ok"))
            #expect(check.stdout.contains("backup: none"))
            let checkJSON = cli(["check", "--json", "--vault", ws.vault, "--passphrase-file", ws.old])
            let cj = try #require(try JSONSerialization.jsonObject(with: Data(checkJSON.stdout.utf8)) as? [String: Any])
            #expect(cj["ok"] as? Bool == true)
            #expect(cj["backup"] as? String == "none")

            let before = try readBytes(ws.vault)
            let passwd = cli(["passwd", "--vault", ws.vault, "--passphrase-file", ws.old, "--new-passphrase-file", ws.new])
            #expect(passwd.status == 0, "\(passwd)")
            let after = try readBytes(ws.vault)
            #expect(Array(before[145..<(before.count - 32)]) == Array(after[145..<(after.count - 32)]))
            #expect(cli(["check", "--vault", ws.vault, "--passphrase-file", ws.old]).status == 77)
            #expect(cli(["check", "--vault", ws.vault, "--passphrase-file", ws.new]).status == 0)
        }
    }

    @Test func exitStatuses() throws {
        try withTempDirectory { root in
            let ws = try CLIWorkspace(root)
            #expect(cli(["check", "--vault", ws.vault, "--passphrase-file", ws.old]).status == 66)
            try ws.create()
            #expect(cli(["init", "--vault", ws.vault, "--passphrase-file", ws.old]).status == 73)
            let wrong = cli(["check", "--vault", ws.vault, "--passphrase-file", ws.wrong])
            #expect(wrong.status == 77)
            #expect(wrong.stderr.hasPrefix("Error: wrong passphrase"))
            #expect(wrong.stderr.contains("hint:"))

            // No source and no terminal (the test context is not interactive).
            let none = cli(["check", "--vault", ws.vault])
            #expect(none.status == 64, "\(none)")
            for option in ["--passphrase-file", "--passphrase-fd", "--passphrase-command"] { #expect(none.stderr.contains(option)) }

            let bad = cli(["check", "--vault", ws.vault, "--passphrase-fd", "three"])
            #expect(bad.status == 64, "\(bad)")
            #expect(cli(["passwd", "--vault", ws.vault, "--wait", "-1", "--passphrase-file", ws.old, "--new-passphrase-file", ws.new]).status == 64)

            // Busy: a lock held by this process, --wait 0.
            let lock = try HeldLock(ws.vault + ".lock")
            let busy = cli(["passwd", "--wait", "0", "--vault", ws.vault, "--passphrase-file", ws.old, "--new-passphrase-file", ws.new])
            #expect(busy.status == 75, "\(busy)")
            #expect(busy.stderr.contains("busy"))
            lock.release()

            // Damage: one flipped byte in the payload.
            var bytes = try readBytes(ws.vault)
            bytes[150] ^= 0x10
            try writeBytes(ws.vault, bytes)
            let damaged = cli(["check", "--vault", ws.vault, "--passphrase-file", ws.old])
            #expect(damaged.status == 65, "\(damaged)")
            #expect(damaged.stderr.contains("vault is damaged"))
            #expect(damaged.stderr.contains(ws.vault + ".bak"), "the hint names the backup")
            #expect(cli(["info", "--vault", ws.vault]).status == 0, "info reads the header alone")
            #expect(cli(["info", "--verify", "--vault", ws.vault]).status == 65)
        }
    }

    @Test func weakPassphraseWarns() throws {
        try withTempDirectory { root in
            try writeText(root + "/short", "hunter2x\n")
            let r = cli(["init", "--vault", root + "/v.dv", "--passphrase-file", root + "/short"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.contains("warning: this passphrase is short"))
            #expect(!r.stderr.contains("hunter2x"))
            try writeText(root + "/common", "password\n")
            let c = cli(["init", "--vault", root + "/w.dv", "--passphrase-file", root + "/common"])
            #expect(c.status == 0)
            #expect(c.stderr.contains("most common passwords"))
        }
    }

    @Test func usageErrors() {
        let cases: [([String], String)] = [
            (["inti"], "did you mean 'vault init'?"),
            (["info", "--jsn"], "did you mean --json?"),
            (["info", "--vault"], "needs a value"),
            (["info", "a", "b"], "unexpected argument 'a'"),
            (["init", "--kdf", "paranoid"], "unknown --kdf 'paranoid'"),
            (["init", "--kdf", "interactive", "--kdf", "moderate"], "more than once"),
        ]
        for (args, text) in cases {
            let r = cli(args)
            #expect(r.status == 64, "\(args): \(r)")
            #expect(r.stderr.hasPrefix("Error:"), "\(args): \(r)")
            #expect(r.stderr.contains(text), "\(args): \(r)")
            #expect(r.stdout.isEmpty, "\(args): \(r)")
        }
        let option = cli(["info", "--jsn"])
        #expect(option.stderr.contains("usage: vault info"), "option errors point at the command's usage: \(option)")
        #expect(option.stderr.contains("'vault help info'"))
        let noArgs = cli([])
        #expect(noArgs.status == 0)
        #expect(noArgs.stdout.hasPrefix("OVERVIEW:"))
    }

    @Test func helpLayout() {
        let main = cli(["--help"])
        #expect(main.status == 0)
        var position = main.stdout.startIndex
        for section in ["OVERVIEW:", "USAGE: vault <command>", "COMMANDS:", "GLOBAL OPTIONS:", "EXIT STATUS:"] {
            let found = main.stdout.range(of: section, range: position..<main.stdout.endIndex)
            #expect(found != nil, "main help lacks \(section) (in order)")
            if let found { position = found.upperBound }
        }
        for command in ["init", "info", "check", "passwd", "demo", "help"] {
            let help = cli([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stderr.isEmpty)
            #expect(help.stdout == cli(["help", command]).stdout)
            #expect(help.stdout == cli([command, "-h"]).stdout)
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let overview = lines.firstIndex { $0.hasPrefix("OVERVIEW: ") }
            let usage = lines.firstIndex { $0.hasPrefix("USAGE: vault \(command)") }
            let options = lines.firstIndex { $0 == "OPTIONS:" }
            #expect(overview == 0, "\(command)")
            #expect(usage != nil && options != nil, "\(command): \(help.stdout)")
            if let usage, let options {
                #expect(usage < options)
                let optionLines = lines[(options + 1)...].prefix { !$0.isEmpty }
                #expect(optionLines.contains { $0.hasPrefix("  --vault PATH") }, "\(command)")
                #expect(optionLines.contains { $0.hasPrefix("  -h, --help") }, "\(command)")
                for line in optionLines where !line.hasPrefix("      ") {
                    #expect(line.hasPrefix("  -"), "\(command): option line \(line)")
                }
            }
            // Commands that take a passphrase list the three sources.
            if ["init", "check", "passwd"].contains(command) {
                for source in ["--passphrase-file PATH", "--passphrase-fd N", "--passphrase-command CMD"] {
                    #expect(help.stdout.contains(source), "\(command) help lacks \(source)")
                }
            }
        }
        #expect(cli(["info", "--help"]).stdout.contains("--json"))
    }

    @Test func versionLine() {
        let r = cli(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "vault \(VaultCLI.version) (vault format v1, libsodium \(Sodium.version))\n")
    }

    @Test func defaultPathNeedsHome() {
        let r = cli(["info"], environment: [:])
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("--vault PATH"))
        let xdgRelative = cli(["info"], environment: ["XDG_DATA_HOME": "relative/dir", "HOME": "/nonexistent-home"])
        #expect(xdgRelative.status == 66)
        #expect(xdgRelative.stderr.contains("/nonexistent-home/.local/share/debt-vault/vault.dv"), "a relative XDG_DATA_HOME is ignored")
    }
}

/// The backup generation through the library (no CLI command besides passwd saves yet).
@Suite("VaultStore backup re-sealing (library, fast KDF)")
struct BackupResealTests {
    let fast = KDFParameters(opslimit: 1, memlimit: 8192)

    func secret(_ s: String) throws -> SecureBytes { try SecureBytes(copying: Array(s.utf8)) }

    /// A vault with a backup generation: created, then modified once.
    func makeVaultWithBackup(_ path: String) throws -> VaultStore {
        let store = VaultStore(path: path, policy: .testing)
        let session = try [UInt8]([1, 2, 3]).withUnsafeBytes { try store.create(payload: $0, passphrase: secret("old one"), kdf: fast) }
        try store.modify(session) { latest in (payload: latest.withUnsafeBytes { Array($0) } + [4], result: ()) }
        #expect(fileExists(store.backupPath))
        return store
    }

    func opens(_ path: String, _ passphrase: String) throws -> [UInt8]? {
        do {
            let s = try VaultStore(path: path, policy: .testing).unlock(passphrase: secret(passphrase))
            return s.payload.withUnsafeBytes { Array($0) }
        } catch VaultFormatError.wrongPassphrase {
            return nil
        }
    }

    @Test(arguments: [false, true])
    func noFileOpensWithTheOldPassphrase(rotateKey: Bool) throws {
        try withTempDirectory { root in
            let store = try makeVaultWithBackup(root + "/vault.dv")
            let vaultBefore = try readBytes(store.path)
            let backupBefore = try readBytes(store.backupPath)
            let session = try store.unlock(passphrase: secret("old one"))
            try store.changePassphrase(session, newPassphrase: secret("new one"), kdf: fast, rotateKey: rotateKey)
            #expect(listDirectory(root) == ["vault.dv", "vault.dv.bak", "vault.dv.lock"])
            for name in ["vault.dv", "vault.dv.bak"] {
                #expect(try opens(root + "/" + name, "old one") == nil, "\(name) opens with the old passphrase")
            }
            #expect(try opens(store.path, "new one") == [1, 2, 3, 4])
            #expect(try opens(store.backupPath, "new one") == [1, 2, 3], "the backup keeps its own (previous) contents")
            let vaultAfter = try readBytes(store.path)
            let backupAfter = try readBytes(store.backupPath)
            let samePayload = Array(vaultAfter[145..<(vaultAfter.count - 32)]) == Array(vaultBefore[145..<(vaultBefore.count - 32)])
            let sameBackupPayload = Array(backupAfter[145..<(backupAfter.count - 32)]) == Array(backupBefore[145..<(backupBefore.count - 32)])
            #expect(samePayload == !rotateKey)
            #expect(sameBackupPayload == !rotateKey)
            #expect(try permissions(store.path) == 0o600)
            #expect(try permissions(store.backupPath) == 0o600)
        }
    }

    @Test func damagedBackupIsReplacedByTheNewVault() throws {
        try withTempDirectory { root in
            let store = try makeVaultWithBackup(root + "/vault.dv")
            var bad = try readBytes(store.backupPath)
            bad[60] ^= 1
            try writeBytes(store.backupPath, bad)
            let session = try store.unlock(passphrase: secret("old one"))
            try store.changePassphrase(session, newPassphrase: secret("new one"), kdf: fast, rotateKey: false)
            #expect(try readBytes(store.backupPath) == readBytes(store.path))
            #expect(try opens(store.backupPath, "old one") == nil)
        }
    }

    @Test func modifyKeepsThePreviousVaultAsBackup() throws {
        try withTempDirectory { root in
            let store = try makeVaultWithBackup(root + "/vault.dv")
            let previous = try readBytes(store.path)
            let session = try store.unlock(passphrase: secret("old one"))
            try store.modify(session) { _ in (payload: [9, 9], result: ()) }
            #expect(try readBytes(store.backupPath) == previous)
            #expect(try opens(store.path, "old one") == [9, 9])
            #expect(listDirectory(root) == ["vault.dv", "vault.dv.bak", "vault.dv.lock"])
            // A change that returns nil writes nothing.
            let unchanged = try readBytes(store.path)
            let r: Int? = try store.modify(session) { _ in nil }
            #expect(r == nil)
            #expect(try readBytes(store.path) == unchanged)
        }
    }
}
