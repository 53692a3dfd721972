#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Issue 8, leak hunting: a full session in a fresh HOME and TMPDIR, then a search of every file
/// under them, of the process's argv and environment during a command, and of everything printed
/// to stderr, for canary strings (Chinese and English) and the passphrase.
@Suite(.serialized) struct LeakHuntTests {
    @Test func aFullSessionLeavesNoCanaryOrPassphraseOutsideTheVault() throws {
        try withTempDirectory { root in
            let home = root + "/home", tmp = root + "/tmp"
            mkdir(home, 0o755)
            mkdir(tmp, 0o755)
            let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let passphrase = "pass-\(tag)-口令-passphrase"
            let canaries = ["金丝雀银行-\(tag)", "CANARY-NAME-\(tag)", "CANARY-NOTE-\(tag) 备注", "CANARY-ACCT-\(tag)", "欠款备忘-\(tag)"]
            let env = Harness.environment(home: home, extra: ["TMPDIR": tmp])
            let pw = Array((passphrase + "\n").utf8)
            func run(_ args: [String], stdin: [UInt8]? = nil) throws -> ProcessOutcome {
                let o = try Harness.vault(args + ["--passphrase-fd", "3"], stdin: stdin, fds: [3: pw], environment: env)
                #expect(o.signal == nil && !o.timedOut, "\(args): \(o)")
                return o
            }
            var outcomes: [([String], ProcessOutcome)] = []
            func step(_ args: [String], stdin: [UInt8]? = nil, expect status: Int32 = 0) throws {
                let o = try run(args, stdin: stdin)
                #expect(o.status == status, "\(args): \(o)")
                outcomes.append((args, o))
            }
            try step(["init", "--kdf", "interactive"])
            // Free text goes in through standard input, never argv (the way the docs recommend).
            let debts = """
            [{"kind": "loan", "name": "\(canaries[0])", "principal": "123457", "rate": "9.87%", "months": "24",
              "first_due": "2026-10-17", "note": "\(canaries[2])", "account": "\(canaries[3])"},
             {"kind": "card", "name": "\(canaries[1])", "balance": "7654.32", "statement_day": "3", "due_day": "21",
              "statement_date": "2026-11-03", "note": "\(canaries[4])"},
             {"kind": "informal", "name": "\(canaries[4])", "balance": "2222.22", "due": "2027-03-09"}]
            """
            try step(["add", "--from-json", "-", "--today", "2026-12-03"], stdin: Array(debts.utf8))
            try step(["pay", "loan1", "5678.91", "--date", "2026-10-17", "--today", "2026-12-03"])
            try step(["list", "--today", "2026-12-03"])
            try step(["show", "loan1", "--today", "2026-12-03"])
            let help = try Harness.vault(["--help"], environment: env).stdout
            func has(_ command: String) -> Bool { help.contains("\n  \(command) ") }
            if has("remind") { try step(["remind", "--today", "2026-12-03"], expect: 0) }
            if has("plan") { try step(["plan", "--budget", "30000", "--today", "2026-12-03"]) }
            if has("advice") { try step(["advice", "--today", "2026-12-03"]) }
            var exportOut: String?
            if has("export") {
                try step(["export", "--redacted", "--today", "2026-12-03"])
                exportOut = outcomes.last?.1.stdout
            }
            #expect(has("remind") && has("plan"), "the session covers remind and plan")

            // During a write: the process waits at the lock; read its argv and environment from /proc.
            let vaultPath = home + "/.local/share/debt-vault/vault.dv"
            let lock = try HeldLock(vaultPath + ".lock")
            let child = try Harness.startVault(["pay", "loan1", "1.00", "--today", "2026-12-03", "--wait", "30", "--passphrase-fd", "3"],
                                               fds: [3: pw], environment: env)
            usleep(600_000)  // past the KDF, now waiting for the lock
            #expect(child.isRunning, "the writer should be waiting at the lock")
            let cmdline = (try? readBytes("/proc/\(child.pid)/cmdline")) ?? []
            let environ = (try? readBytes("/proc/\(child.pid)/environ")) ?? []
            let limits = String(decoding: (try? readBytes("/proc/\(child.pid)/limits")) ?? [], as: UTF8.self)
            #expect(!cmdline.isEmpty, "could read the child's argv")
            lock.release()
            let paid = child.wait(timeout: 60)
            #expect(paid.status == 0, "\(paid)")
            outcomes.append((["pay (while locked)"], paid))
            for secret in canaries + [passphrase] {
                #expect(!contains(cmdline, secret), "argv holds \(secret)")
                #expect(!contains(environ, secret), "environment holds \(secret)")
            }
            #expect(limits.contains("Max core file size") && limits.range(of: #"Max core file size\s+0\s+0"#, options: .regularExpression) != nil,
                    "core dumps disabled: \(limits)")

            // Nothing printed to stderr holds a canary or the passphrase; the redacted export holds no canary.
            for (args, o) in outcomes {
                for secret in canaries + [passphrase] {
                    #expect(!o.stderr.contains(secret), "stderr of \(args) holds \(secret)")
                    #expect(!o.stdout.contains(passphrase), "stdout of \(args) holds the passphrase")
                }
            }
            if let exportOut {
                for secret in canaries { #expect(!exportOut.contains(secret), "the redacted export holds \(secret)") }
                #expect(!exportOut.contains("5678.91") && !exportOut.contains("5,678.91"), "the redacted export holds an exact amount")
            }
            // The expected outputs do show the user's own data.
            #expect(outcomes.contains { $0.0.first == "list" && $0.1.stdout.contains(canaries[0]) })

            // Every file under HOME and TMPDIR: no canary, no passphrase; private modes.
            var files: [String] = []
            func walk(_ path: String) {
                var st = stat()
                guard lstat(path, &st) == 0 else { return }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    for name in listDirectory(path) { walk(path + "/" + name) }
                } else {
                    files.append(path)
                }
            }
            walk(home)
            walk(tmp)
            #expect(Set(files.map { String($0.dropFirst(home.count)) }).isSuperset(of: ["/.local/share/debt-vault/vault.dv"]))
            for f in files {
                let bytes = try readBytes(f)
                for secret in canaries + [passphrase] {
                    #expect(!contains(bytes, secret), "\(f) holds \(secret)")
                    #expect(!f.contains(secret), "a file name holds \(secret)")
                }
                #expect(try fileStat(f).st_mode & 0o777 == 0o600, "\(f) is not 0600")
            }
            #expect(listDirectory(tmp).isEmpty, "TMPDIR is left empty")
            for dir in ["/.local", "/.local/share", "/.local/share/debt-vault"] {
                #expect(try fileStat(home + dir).st_mode & 0o777 == 0o700, "\(dir) is not 0700")
            }
        }
    }

    func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty, haystack.count >= n.count else { return false }
        for i in 0...(haystack.count - n.count) where haystack[i] == n[0] && Array(haystack[i..<(i + n.count)]) == n { return true }
        return false
    }
}
