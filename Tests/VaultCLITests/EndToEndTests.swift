#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VaultCLI
import VaultCrypto
import VaultStorage

// End-to-end tests of the built `vault` binary (issue 2's acceptance points). The binary always
// applies the release KDF policy, so vaults here use `--kdf interactive` (64 MiB, 2 passes) and
// the tests keep the number of unlocks small. Damage is detected by the checksum before any KDF.

/// Passphrases, each with a token that must never show up in any output.
/// `passA` holds non-ASCII letters in NFC form; `passANFD` is the same text decomposed (NFD).
let passA = "zebra-quartz-A-91 cr\u{E8}me br\u{FB}l\u{E9}e"
let passANFD = "zebra-quartz-A-91 cre\u{300}me bru\u{302}le\u{301}e"
let passB = "yak-obsidian-B-52 long enough"
let passC = "wren-topaz-C-33 also long enough"
let secretTokens = ["zebra-quartz", "yak-obsidian", "wren-topaz", "cr\u{E8}me", "cre\u{300}me"]

/// Layout of format v1 (docs/FORMAT.md), for checking which bytes a command changed.
enum Layout {
    static let kdfParams = 11..<23
    static let salt = 23..<39
    static let slotNonce = 39..<63
    static let slot = 63..<111
    static let payloadSection = 111..<145
    static let payloadNonce = 113..<137
    static func payload(_ size: Int) -> Range<Int> { 145..<(size - 32) }
}

/// A test directory with passphrase files outside the vault's own directory.
struct Workspace {
    let root: String
    var vaultDir: String { root + "/v" }
    var vault: String { vaultDir + "/vault.dv" }
    var backup: String { vault + ".bak" }
    var lock: String { vault + ".lock" }

    init(_ root: String) throws {
        self.root = root
        try writeText(root + "/pA", passA)
        try writeText(root + "/pB", passB)
        try writeText(root + "/pC", passC)
        try writeText(root + "/wrong", "definitely-not-the-passphrase")
    }

    func file(_ passphrase: String) -> String {
        switch passphrase {
        case passA: return root + "/pA"
        case passB: return root + "/pB"
        case passC: return root + "/pC"
        default: return root + "/wrong"
        }
    }
}

/// Runs the binary and checks what every invocation must satisfy: it ended by itself (no signal,
/// no timeout) and printed no passphrase.
@discardableResult
func vault(_ args: [String], stdin: [UInt8]? = nil, fds: [Int32: [UInt8]] = [:], environment: [String: String]? = nil,
           timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessOutcome {
    let o = try Harness.vault(args, stdin: stdin, fds: fds, environment: environment, timeout: timeout)
    #expect(o.signal == nil, "vault \(args) died from a signal: \(o)", sourceLocation: sourceLocation)
    #expect(!o.timedOut, "vault \(args) timed out", sourceLocation: sourceLocation)
    expectNoSecrets(o, sourceLocation: sourceLocation)
    return o
}

func expectNoSecrets(_ o: ProcessOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
    let printed = Array(o.output.utf8)
    for token in secretTokens {
        #expect(!containsRun(printed, Array(token.utf8)), "output shows a passphrase: \(o)", sourceLocation: sourceLocation)
    }
}

/// Whether `needle` occurs in `hay` as a contiguous byte run (byte-exact, no Unicode equivalence).
func containsRun(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard hay.count >= needle.count else { return false }
    for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
        return true
    }
    return false
}

/// `vault init --kdf interactive` with passphrase `pass` from a file; the vault must be created.
@discardableResult
func initVault(_ ws: Workspace, _ pass: String = passA, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
    let o = try vault(["init", "--kdf", "interactive", "--vault", ws.vault, "--passphrase-file", ws.file(pass)], sourceLocation: sourceLocation)
    try #require(o.status == 0, "init failed: \(o)", sourceLocation: sourceLocation)
    return try readBytes(ws.vault)
}

func parseJSON(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)")
}

/// The soft and hard core-file size limits of process `pid`, as /proc/PID/limits shows them.
func coreLimit(_ pid: pid_t) throws -> [String] {
    let limits = String(decoding: try readBytes("/proc/\(pid)/limits"), as: UTF8.self)
    let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
    return Array(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2).map(String.init))
}

/// Whether process `pid` has `path` open (via /proc/PID/fd).
func hasOpen(_ pid: pid_t, _ path: String) -> Bool {
    let dir = "/proc/\(pid)/fd"
    for name in listDirectory(dir) {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(dir + "/" + name, &buffer, buffer.count - 1)
        if n > 0 && String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) == path { return true }
    }
    return false
}

func sameMTime(_ a: stat, _ b: stat) -> Bool {
    a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_ino == b.st_ino
}

/// Which of `candidates` unlocks the vault file at `path` (library API, release policy), or nil.
func opensWith(_ path: String, _ candidates: [String]) throws -> String? {
    _ = try VaultFile(parsing: readBytes(path), policy: .release)
    for candidate in candidates {
        do {
            _ = try VaultStore(path: path, policy: .release).unlock(passphrase: SecureBytes(copying: Array(candidate.utf8)))
            return candidate
        } catch VaultFormatError.wrongPassphrase {
            continue
        }
    }
    return nil
}

@Suite("vault binary, end to end", .serialized)
struct EndToEndTests {
    // MARK: init and info

    @Test func initThenInfoJSON() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let o = try vault(["init", "--kdf", "interactive", "--vault", ws.vault, "--passphrase-file", ws.file(passA)])
            #expect(o.status == 0, "\(o)")
            #expect(o.stdout.contains("created"))
            let size = try readBytes(ws.vault).count
            // info needs no passphrase: no source, stdin is /dev/null, no terminal.
            let info = try vault(["info", "--vault", ws.vault, "--json"])
            #expect(info.status == 0, "\(info)")
            let json = try parseJSON(info.stdout)
            #expect(json["format_version"] as? Int == 1)
            #expect(json["path"] as? String == ws.vault)
            #expect(json["file_size"] as? Int == size)
            #expect(json["backup"] as? Bool == false)
            let kdf = try #require(json["kdf"] as? [String: Any])
            #expect(kdf["opslimit"] as? Int == 2)
            #expect(kdf["memlimit"] as? Int == 64 << 20)
            #expect(kdf["preset"] as? String == "interactive")
            #expect(kdf["algorithm"] as? String == "argon2id13")
            let saved = try #require(json["last_saved"] as? String)
            #expect(saved.count == 20 && saved.hasSuffix("Z"), "last_saved: \(saved)")
            let text = try vault(["info", "--vault", ws.vault])
            #expect(text.status == 0)
            #expect(text.stdout.contains("version 1"))
            #expect(text.stdout.contains("64 MiB, 2 passes"))
            #expect(text.stdout.contains("\(size) bytes"))
        }
    }

    @Test func initRefusesToOverwrite() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws)
            let st = try fileStat(ws.vault)
            let again = try vault(["init", "--kdf", "interactive", "--vault", ws.vault, "--passphrase-file", ws.file(passB)])
            #expect(again.status == 73, "\(again)")
            #expect(again.stderr.hasPrefix("Error:"))
            #expect(again.stderr.contains("already exists"))
            #expect(try readBytes(ws.vault) == before)
            #expect(sameMTime(try fileStat(ws.vault), st))
            // Not a vault either: any existing file is kept.
            let junkPath = root + "/junk.dv"
            try writeText(junkPath, "my notes, not a vault")
            let junk = try vault(["init", "--kdf", "interactive", "--vault", junkPath, "--passphrase-file", ws.file(passB)])
            #expect(junk.status == 73, "\(junk)")
            #expect(try readBytes(junkPath) == Array("my notes, not a vault".utf8))
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"])
        }
    }

    @Test func initModesDirectoriesAndListing() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let nested = root + "/new/deeper/vault.dv"
            let o = try vault(["init", "--kdf", "interactive", "--vault", nested, "--passphrase-file", ws.file(passA)])
            #expect(o.status == 0, "\(o)")
            #expect(try permissions(root + "/new") == 0o700)
            #expect(try permissions(root + "/new/deeper") == 0o700)
            #expect(try permissions(nested) == 0o600)
            #expect(try permissions(nested + ".lock") == 0o600)
            #expect(listDirectory(root + "/new/deeper") == ["vault.dv", "vault.dv.lock"])
            #expect(listDirectory(root + "/new") == ["deeper"])
        }
    }

    @Test func defaultVaultPath() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let xdg = Harness.environment(home: root + "/home", extra: ["XDG_DATA_HOME": root + "/xdg"])
            let created = try vault(["init", "--kdf", "interactive", "--passphrase-file", ws.file(passA)], environment: xdg)
            #expect(created.status == 0, "\(created)")
            #expect(fileExists(root + "/xdg/debt-vault/vault.dv"))
            #expect(try permissions(root + "/xdg/debt-vault") == 0o700)
            let info = try vault(["info", "--json"], environment: xdg)
            #expect(info.status == 0, "\(info)")
            #expect(try parseJSON(info.stdout)["path"] as? String == root + "/xdg/debt-vault/vault.dv")
            // Without XDG_DATA_HOME: ~/.local/share/debt-vault/vault.dv (none there yet).
            let home = try vault(["info"], environment: Harness.environment(home: root + "/home"))
            #expect(home.status == 66, "\(home)")
            #expect(home.stderr.contains(root + "/home/.local/share/debt-vault/vault.dv"))
        }
    }

    // MARK: wrong passphrase, damage, missing vault

    @Test func wrongPassphraseIs77AndChangesNothing() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws)
            let st = try fileStat(ws.vault)
            let listing = listDirectory(ws.vaultDir)
            let check = try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file("wrong")])
            #expect(check.status == 77, "\(check)")
            #expect(check.stderr.hasPrefix("Error: wrong passphrase"), "\(check)")
            let passwd = try vault(["passwd", "--vault", ws.vault, "--passphrase-file", ws.file("wrong"),
                                    "--new-passphrase-file", ws.file(passB)])
            #expect(passwd.status == 77, "\(passwd)")
            #expect(passwd.stderr.contains("wrong passphrase"))
            #expect(try readBytes(ws.vault) == before)
            #expect(sameMTime(try fileStat(ws.vault), st))
            #expect(listDirectory(ws.vaultDir) == listing)
        }
    }

    /// Writes each case to `dir/K.dv`, runs `vault check` on all of them (two at a time) and expects
    /// exit 65 with an "Error:" message, no crash, and the file unchanged. Returns the outcomes in order.
    static func checkEachIsDamage(_ cases: [(name: String, bytes: [UInt8])], in dir: String, passphraseFile: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> [ProcessOutcome] {
        try #require(mkdir(dir, 0o700) == 0)
        for (k, c) in cases.enumerated() { try writeBytes(dir + "/\(k).dv", c.bytes) }
        let binary = try Harness.vaultBinary()
        let jobs: [() throws -> Child] = cases.indices.map { k in
            { try Harness.spawn(binary, ["check", "--vault", dir + "/\(k).dv", "--passphrase-file", passphraseFile]) }
        }
        let outcomes = try Harness.runAll(jobs, concurrency: 2)
        for (k, o) in outcomes.enumerated() {
            let name = cases[k].name
            #expect(o.status == 65, "\(name): \(o)", sourceLocation: sourceLocation)
            #expect(o.signal == nil, "\(name) crashed: \(o)", sourceLocation: sourceLocation)
            #expect(o.stderr.hasPrefix("Error:"), "\(name): \(o)", sourceLocation: sourceLocation)
            #expect(try readBytes(dir + "/\(k).dv") == cases[k].bytes, "\(name): the command changed the file", sourceLocation: sourceLocation)
        }
        return outcomes
    }

    @Test func everySingleByteFlipIsDamageNeverWrongPassphrase() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let good = try initVault(ws)
            let n = good.count
            try #require(n > 145 + 16 + 32, "fresh vault size \(n)")
            var cases: [(name: String, bytes: [UInt8])] = []
            for i in 0..<n {
                var b = good
                b[i] ^= 0x01
                cases.append(("xor01@\(i)", b))
            }
            for i in [0, 7, 8, 9, 10, 11, 15, 22, 23, 38, 39, 62, 63, 110, 111, 112, 113, 136, 137, 144, 145, n - 33, n - 32, n - 1] {
                var b = good
                b[i] ^= 0xFF
                cases.append(("xorFF@\(i)", b))
            }
            let dir = root + "/flips"
            let outcomes = try Self.checkEachIsDamage(cases, in: dir, passphraseFile: ws.file(passA))
            for o in outcomes { expectNoSecrets(o) }
            #expect(listDirectory(dir).count == cases.count, "check left files behind")
            // The message tells damage apart: magic bytes -> not a vault, checksum -> damaged.
            #expect(outcomes[0].stderr.contains("not a debt-vault file"))
            #expect(outcomes[50].stderr.contains("vault is damaged"))
            #expect(outcomes[50].stderr.contains("hint:"))
            #expect(outcomes[8].stderr.contains("version"))
        }
    }

    @Test func everyTruncationAndTrailingGarbageIsDamage() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let good = try initVault(ws)
            var cases: [(name: String, bytes: [UInt8])] = (0..<good.count).map { ("truncated to \($0)", Array(good.prefix($0))) }
            cases.append(("one trailing zero", good + [0]))
            cases.append(("trailing text", good + Array("garbage after the end\n".utf8)))
            cases.append(("vault twice", good + good))
            let dir = root + "/cuts"
            let outcomes = try Self.checkEachIsDamage(cases, in: dir, passphraseFile: ws.file(passA))
            for k in 0..<8 { #expect(outcomes[k].stderr.contains("not a debt-vault file"), "\(cases[k].name): \(outcomes[k])") }
            #expect(outcomes[good.count].stderr.contains("1 unexpected bytes"), "\(outcomes[good.count])")
            // info reads the same header and reports the same damage, without a passphrase.
            let info = try vault(["info", "--vault", dir + "/\(good.count + 1).dv"])
            #expect(info.status == 65, "\(info)")
        }
    }

    @Test func noVaultIs66WithAHint() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let missing = root + "/nothing/here.dv"
            for args in [["check", "--passphrase-file", ws.file(passA)], ["check"], ["info"], ["info", "--json"],
                         ["passwd", "--passphrase-file", ws.file(passA), "--new-passphrase-file", ws.file(passB)]] {
                let o = try vault(args + ["--vault", missing])
                #expect(o.status == 66, "\(args): \(o)")
                #expect(o.stderr.hasPrefix("Error: no vault at \(missing)"), "\(args): \(o)")
                #expect(o.stderr.contains("hint:") && o.stderr.contains("vault init"), "\(args): \(o)")
                #expect(o.stdout.isEmpty)
            }
            #expect(!fileExists(root + "/nothing"), "a read-only command created the directory")
        }
    }

    // MARK: passwd

    @Test func passwdResealsTheKeySlotOnly() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws, passA)
            let o = try vault(["passwd", "--vault", ws.vault, "--passphrase-file", ws.file(passA), "--new-passphrase-file", ws.file(passB)])
            #expect(o.status == 0, "\(o)")
            let after = try readBytes(ws.vault)
            try #require(after.count == before.count)
            let n = after.count
            #expect(after[0..<23] == before[0..<23], "magic, version, KDF id and parameters are kept")
            #expect(after[Layout.salt] != before[Layout.salt])
            #expect(after[Layout.slotNonce] != before[Layout.slotNonce])
            #expect(after[Layout.slot] != before[Layout.slot])
            #expect(after[11..<111] != before[11..<111])
            #expect(after[Layout.payloadSection] == before[Layout.payloadSection], "codec, payload nonce and length are kept")
            #expect(after[Layout.payload(n)] == before[Layout.payload(n)], "the payload ciphertext is byte-identical")
            #expect(after[(n - 32)...] != before[(n - 32)...])
            #expect(try permissions(ws.vault) == 0o600)
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"])
            let old = try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(passA)])
            #expect(old.status == 77, "\(old)")
            let new = try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(passB)])
            #expect(new.status == 0, "\(new)")
            #expect(new.stdout.contains("backup: none"))
        }
    }

    /// No CLI command besides passwd saves yet, so the backup generation is made through the library
    /// (VaultStore.modify, release policy); the binary then re-keys and checks both files.
    @Test func passwdResealsTheBackupGeneration() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            try initVault(ws, passA)
            let store = VaultStore(path: ws.vault, policy: .release)
            let session = try store.unlock(passphrase: SecureBytes(copying: Array(passA.utf8)))
            try store.modify(session) { latest in (payload: latest.withUnsafeBytes { Array($0) }, result: ()) }
            #expect(fileExists(ws.backup))
            #expect(try permissions(ws.backup) == 0o600)
            let backupBefore = try readBytes(ws.backup)
            let vaultBefore = try readBytes(ws.vault)
            #expect(backupBefore != vaultBefore)

            let o = try vault(["passwd", "--vault", ws.vault, "--passphrase-file", ws.file(passA), "--new-passphrase-file", ws.file(passB)])
            #expect(o.status == 0, "\(o)")
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.bak", "vault.dv.lock"])
            #expect(try permissions(ws.backup) == 0o600)
            #expect(try permissions(ws.vault) == 0o600)
            let backupAfter = try readBytes(ws.backup)
            // The backup's own payload is kept; only its key slot changed.
            #expect(backupAfter[Layout.payload(backupAfter.count)] == backupBefore[Layout.payload(backupBefore.count)])
            #expect(backupAfter[Layout.slot] != backupBefore[Layout.slot])

            // No file in the directory opens with the old passphrase; the vault and backup open with the new one.
            for name in listDirectory(ws.vaultDir) {
                let path = ws.vaultDir + "/" + name
                let old = try vault(["check", "--vault", path, "--passphrase-file", ws.file(passA)])
                #expect(old.status != 0, "\(name) still opens with the old passphrase: \(old)")
                if name != "vault.dv.lock" { #expect(old.status == 77, "\(name): \(old)") }
            }
            let check = try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(passB)])
            #expect(check.status == 0, "\(check)")
            #expect(check.stdout.contains("backup: ok"), "\(check)")
            let info = try parseJSON(try vault(["info", "--vault", ws.vault, "--json"]).stdout)
            #expect(info["backup"] as? Bool == true)
        }
    }

    @Test func passwdRotateKeyAndKDF() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws, passA)
            let rotate = try vault(["passwd", "--rotate-key", "--vault", ws.vault, "--passphrase-file", ws.file(passA),
                                    "--new-passphrase-file", ws.file(passB)])
            #expect(rotate.status == 0, "\(rotate)")
            #expect(rotate.stdout.contains("re-encrypted"))
            let after = try readBytes(ws.vault)
            #expect(after[Layout.payload(after.count)] != before[Layout.payload(before.count)])
            #expect(after[Layout.payloadNonce] != before[Layout.payloadNonce])
            #expect(try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(passB)]).status == 0)
            #expect(try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(passA)]).status == 77)

            let kdf = try vault(["passwd", "--kdf", "moderate", "--vault", ws.vault, "--passphrase-file", ws.file(passB),
                                 "--new-passphrase-file", ws.file(passC)])
            #expect(kdf.status == 0, "\(kdf)")
            let moved = try readBytes(ws.vault)
            #expect(moved[Layout.payload(moved.count)] == after[Layout.payload(after.count)], "--kdf alone keeps the payload")
            let info = try parseJSON(try vault(["info", "--vault", ws.vault, "--json"]).stdout)
            let params = try #require(info["kdf"] as? [String: Any])
            #expect(params["opslimit"] as? Int == 3)
            #expect(params["memlimit"] as? Int == 256 << 20)
            #expect(params["preset"] as? String == "moderate")
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"])
        }
    }

    /// passwd without a source for the new passphrase and no terminal must say which options give one.
    @Test func passwdWithoutNewPassphraseSource() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws, passA)
            let o = try vault(["passwd", "--vault", ws.vault, "--passphrase-file", ws.file(passA)])
            #expect(o.status == 64, "\(o)")
            #expect(o.stderr.hasPrefix("Error:"))
            #expect(o.stderr.contains("--new-passphrase-file"), "the hint should name the new-passphrase options: \(o)")
            #expect(try readBytes(ws.vault) == before)
        }
    }

    // MARK: passphrase sources

    @Test func passphraseSources() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            // Create through --passphrase-fd 3 (a pipe) with the NFC form, no trailing newline.
            let created = try vault(["init", "--kdf", "interactive", "--vault", ws.vault, "--passphrase-fd", "3"],
                                    fds: [3: Array(passA.utf8)])
            #expect(created.status == 0, "\(created)")
            func check(_ extra: [String], fds: [Int32: [UInt8]] = [:]) throws -> ProcessOutcome {
                try vault(["check", "--vault", ws.vault] + extra, fds: fds)
            }
            let escaped = passA.replacingOccurrences(of: "'", with: "'\\''")
            #expect(try check(["--passphrase-command", "printf %s '\(escaped)'"]).status == 0)
            #expect(try check(["--passphrase-fd", "3"], fds: [3: Array((passA + "\n").utf8)]).status == 0)
            try writeText(root + "/lf", passA + "\n")
            try writeText(root + "/crlf", passA + "\r\n")
            try writeText(root + "/nfd", passANFD + "\n")
            try writeText(root + "/twolf", passA + "\n\n")
            #expect(Array(passANFD.utf8) != Array(passA.utf8))
            #expect(try check(["--passphrase-file", root + "/lf"]).status == 0)
            #expect(try check(["--passphrase-file", root + "/crlf"]).status == 0)
            #expect(try check(["--passphrase-file", root + "/nfd"]).status == 0, "NFD must open a vault made with NFC")
            // Only one trailing newline is stripped.
            #expect(try check(["--passphrase-file", root + "/twolf"]).status == 77)

            // Two sources at once: usage error, before any work.
            let two = try check(["--passphrase-file", ws.file(passA), "--passphrase-command", "printf x"])
            #expect(two.status == 64, "\(two)")
            #expect(two.stderr.hasPrefix("Error:"))
            let twoInit = try vault(["init", "--vault", root + "/other/vault.dv", "--passphrase-file", ws.file(passA),
                                     "--passphrase-fd", "3"], fds: [3: Array(passA.utf8)])
            #expect(twoInit.status == 64, "\(twoInit)")
            #expect(!fileExists(root + "/other/vault.dv"))
            // Broken sources.
            let badFD = try check(["--passphrase-fd", "200"])
            #expect(badFD.status == 64, "\(badFD)")
            let failing = try check(["--passphrase-command", "exit 3"])
            #expect(failing.status == 64, "\(failing)")
            #expect(failing.stderr.contains("exit status 3"))
            try writeText(root + "/empty", "\n")
            let empty = try vault(["init", "--vault", root + "/e/vault.dv", "--passphrase-file", root + "/empty"])
            #expect(empty.status == 64, "\(empty)")
            #expect(!fileExists(root + "/e/vault.dv"))
        }
    }

    @Test func noPassphraseSourceAndNoTerminal() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            // The harness starts children in a new session (setsid): no controlling terminal, stdin /dev/null.
            let fresh = try vault(["init", "--kdf", "interactive", "--vault", root + "/n/vault.dv"])
            #expect(fresh.status == 64, "\(fresh)")
            #expect(!fileExists(root + "/n/vault.dv"))
            try initVault(ws, passA)
            let check = try vault(["check", "--vault", ws.vault])
            for o in [fresh, check] {
                #expect(o.status == 64, "\(o)")
                #expect(o.stderr.hasPrefix("Error:"))
                for option in ["--passphrase-file", "--passphrase-fd", "--passphrase-command"] {
                    #expect(o.stderr.contains(option), "\(o)")
                }
            }
            // Standard input is not a passphrase source.
            let piped = try vault(["check", "--vault", ws.vault], stdin: Array((passA + "\n").utf8))
            #expect(piped.status == 64, "\(piped)")
        }
    }

    // MARK: lock

    @Test func heldLockMakesWritersBusy() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            let before = try initVault(ws, passA)
            let args = ["passwd", "--wait", "1", "--vault", ws.vault, "--passphrase-file", ws.file(passA),
                        "--new-passphrase-file", ws.file(passB)]
            let lock = try HeldLock(ws.lock)
            let busy = try vault(args)
            #expect(busy.status == 75, "\(busy)")
            #expect(busy.stderr.hasPrefix("Error: vault is busy"), "\(busy)")
            #expect(busy.seconds >= 1.0 && busy.seconds < 5.0, "waited \(busy.seconds) s for a 1 s --wait")
            #expect(try readBytes(ws.vault) == before)
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"])
            lock.release()
            let ok = try vault(args)
            #expect(ok.status == 0, "\(ok)")
            #expect(try readBytes(ws.vault) != before)
        }
    }

    @Test func lockOfAKilledProcessDoesNotBlock() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            try initVault(ws, passA)
            let script = """
            import fcntl, os, sys, time
            fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("locked", flush=True)
            time.sleep(60)
            """
            let holder = try Harness.spawn("python3", ["-c", script, ws.lock])
            let deadline = monotonicNow() + 20
            while !holder.stdoutSoFar.contains("locked") && holder.isRunning && monotonicNow() < deadline { usleep(10_000) }
            try #require(holder.stdoutSoFar.contains("locked"), "python3 did not take the lock: \(String(describing: holder.outcome))")
            let args = ["passwd", "--vault", ws.vault, "--passphrase-file", ws.file(passA), "--new-passphrase-file", ws.file(passB)]
            let busy = try vault(args + ["--wait", "0"])
            #expect(busy.status == 75, "the python lock should block: \(busy)")
            holder.kill(SIGKILL)
            let end = holder.wait(timeout: 10)
            #expect(end.signal == SIGKILL)
            let ok = try vault(args + ["--wait", "2"])
            #expect(ok.status == 0, "\(ok)")
        }
    }

    // MARK: crash safety

    @Test func sigkillDuringPasswdLeavesOldOrNew() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            try initVault(ws, passB)
            // A backup generation, so the kill can also land between re-sealing it and the vault.
            let store = VaultStore(path: ws.vault, policy: .release)
            let session = try store.unlock(passphrase: SecureBytes(copying: Array(passB.utf8)))
            try store.modify(session) { latest in (payload: latest.withUnsafeBytes { Array($0) }, result: ()) }

            func passwd(_ from: String, _ to: String) -> [String] {
                ["passwd", "--wait", "5", "--vault", ws.vault, "--passphrase-file", ws.file(from), "--new-passphrase-file", ws.file(to)]
            }
            func other(_ p: String) -> String { p == passB ? passC : passB }
            let allowed: Set<String> = ["vault.dv", "vault.dv.bak", "vault.dv.lock"]

            // One full run to learn how long a save takes (two KDF runs and the writes).
            let first = try vault(passwd(passB, passC))
            try #require(first.status == 0, "\(first)")
            let runTime = first.seconds
            var state: [String: (bytes: [UInt8], pass: String)] = [
                ws.vault: (try readBytes(ws.vault), passC), ws.backup: (try readBytes(ws.backup), passC),
            ]
            var killed = 0, committed = 0, leftTemp = 0
            for round in 0..<30 {
                let from = state[ws.vault]!.pass
                let to = other(from)
                let o: ProcessOutcome
                if round.isMultiple(of: 2) {
                    // Killed at a random moment of its run (mostly inside one of the two KDF runs).
                    o = try Harness.vault(passwd(from, to), killAfter: Double.random(in: 0...(1.1 * runTime)))
                } else {
                    // Killed inside the save itself: the test holds the lock until the child (done with
                    // both KDF runs) has opened the lock file, then releases it and kills 0-50 ms later.
                    let lock = try HeldLock(ws.lock)
                    let child = try Harness.startVault(passwd(from, to))
                    let deadline = monotonicNow() + 20
                    while !hasOpen(child.pid, ws.lock) && child.isRunning && monotonicNow() < deadline { usleep(1_000) }
                    #expect(child.isRunning, "round \(round): ended before waiting for the lock: \(String(describing: child.outcome))")
                    lock.release()
                    usleep(UInt32.random(in: 0...50_000))
                    child.kill(SIGKILL)
                    o = child.wait(timeout: 30)
                }
                expectNoSecrets(o)
                if o.signal == SIGKILL { killed += 1 } else { #expect(o.status == 0, "round \(round): \(o)") }
                let names = listDirectory(ws.vaultDir)
                #expect(names.contains("vault.dv") && names.contains("vault.dv.bak"), "round \(round): \(names)")
                for name in names where !allowed.contains(name) {
                    #expect(name.hasPrefix(".vault.dv.tmp-"), "round \(round): unexpected file \(name)")
                    leftTemp += 1
                }
                for path in [ws.vault, ws.backup] {
                    let bytes = try readBytes(path)
                    let known = state[path]!
                    if bytes == known.bytes { continue }  // untouched: still opens with its known passphrase
                    let opener = try opensWith(path, [to, from])
                    #expect(opener != nil, "round \(round): \(path) opens with neither passphrase")
                    state[path] = (bytes, opener ?? known.pass)
                }
                if state[ws.vault]!.pass == to { committed += 1 }
                if o.status == 0 { #expect(state[ws.vault]!.pass == to, "round \(round): success but the vault did not change") }
                #expect(try permissions(ws.vault) == 0o600)
                #expect(try permissions(ws.backup) == 0o600)
            }
            print("sigkill test: run time \(runTime) s, \(killed) killed, \(committed) committed, \(leftTemp) temp files seen")
            #expect(killed >= 10, "too few runs were actually killed (\(killed))")
            // The next successful command cleans up temp files left by killed runs.
            let final = state[ws.vault]!.pass
            let last = try vault(passwd(final, other(final)))
            #expect(last.status == 0, "\(last)")
            #expect(listDirectory(ws.vaultDir) == allowed)
            let check = try vault(["check", "--vault", ws.vault, "--passphrase-file", ws.file(other(final))])
            #expect(check.status == 0, "vault and backup must both open with the final passphrase: \(check)")
        }
    }

    /// A process killed mid-save leaves its temp file (".vault.dv.tmp-PID-RANDOM"); the next command
    /// that saves removes it, whichever command that is.
    @Test func nextSaveRemovesStaleTempFiles() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            try #require(mkdir(ws.vaultDir, 0o700) == 0)
            let stale = ws.vaultDir + "/.vault.dv.tmp-424242-deadbeef"
            try writeBytes(stale, Array(repeating: 0x89, count: 100))
            try initVault(ws, passA)
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"], "init left a stale temp file")
            try writeBytes(stale, Array(repeating: 0x89, count: 100))
            let o = try vault(["passwd", "--vault", ws.vault, "--passphrase-file", ws.file(passA), "--new-passphrase-file", ws.file(passB)])
            #expect(o.status == 0, "\(o)")
            #expect(listDirectory(ws.vaultDir) == ["vault.dv", "vault.dv.lock"], "passwd left a stale temp file")
        }
    }

    @Test func demoRunsInAThrowawayDirectory() throws {
        try withTempDirectory { root in
            let env = Harness.environment(home: root + "/home", extra: ["TMPDIR": root])
            let o = try vault(["demo"], environment: env, timeout: 120)
            #expect(o.status == 0, "\(o)")
            #expect(o.stdout.contains("$ vault init"))
            #expect(o.stdout.contains("$ vault check"))
            #expect(listDirectory(root).isEmpty, "the demo left files behind: \(listDirectory(root))")
            #expect(!fileExists(root + "/home"), "the demo touched the default vault location")
        }
    }

    // MARK: hardening

    @Test func binaryDisablesCoreDumps() throws {
        try withTempDirectory { root in
            let ws = try Workspace(root)
            try initVault(ws, passA)
            // The child inherits this process's core limit: raise the soft limit (no privilege needed
            // up to the hard limit), so that a 0 in the child can only come from the binary itself.
            var mine = rlimit()
            getrlimit(Int32(RLIMIT_CORE.rawValue), &mine)
            if mine.rlim_cur == 0 && mine.rlim_max > 0 {
                var raised = rlimit(rlim_cur: min(mine.rlim_max, 1 << 20), rlim_max: mine.rlim_max)
                #expect(setrlimit(Int32(RLIMIT_CORE.rawValue), &raised) == 0)
                getrlimit(Int32(RLIMIT_CORE.rawValue), &mine)
            }
            // Control: an ordinary child shows the inherited, non-zero limit through /proc. (Only a
            // hard limit of 0 imposed on the whole test run would make this impossible.)
            if mine.rlim_max > 0 {
                #expect(mine.rlim_cur > 0)
                let control = try Harness.spawn("sleep", ["5"])
                usleep(50_000)
                #expect(try coreLimit(control.pid) != ["0", "0"])
                control.kill()
                _ = control.wait(timeout: 5)
            }
            let lock = try HeldLock(ws.lock)
            let child = try Harness.startVault(["passwd", "--wait", "10", "--vault", ws.vault, "--passphrase-file", ws.file(passA),
                                                "--new-passphrase-file", ws.file(passB)])
            usleep(400_000)  // past start-up (and the KDF): it now waits for the lock
            #expect(child.isRunning)
            let limit = try coreLimit(child.pid)
            #expect(child.isRunning, "the process ended before /proc was read")
            #expect(limit == ["0", "0"], "core limit (soft, hard): \(limit)")
            lock.release()
            let outcome = child.wait(timeout: 30)
            #expect(outcome.status == 0, "\(outcome)")
            expectNoSecrets(outcome)
        }
    }

    // MARK: usage

    @Test func usageErrorsExit64() throws {
        let cases: [(args: [String], mustContain: [String])] = [
            (["inti"], ["unknown command 'inti'", "did you mean 'vault init'?"]),
            (["chek", "--json"], ["unknown command 'chek'", "did you mean 'vault check'?"]),
            (["info", "--jsno"], ["unknown option --jsno", "did you mean --json?", "usage: vault info"]),
            (["info", "--vault"], ["--vault needs a value"]),
            (["info", "--vault", "/tmp/x.dv", "extra"], ["unexpected argument 'extra'"]),
            (["info", "--vault", "/tmp/x.dv", "--", "--json"], ["unexpected argument '--json'"]),
            (["init", "--kdf", "weak", "--vault", "/tmp/never/vault.dv"], ["unknown --kdf 'weak'"]),
            (["init", "--kdf=weak", "--vault=/tmp/never/vault.dv"], ["unknown --kdf 'weak'"]),
            (["passwd", "--wait=soon", "--new-passphrase-file", "/tmp/never/p", "--vault", "/tmp/never/vault.dv"], ["--wait needs a number of seconds, got 'soon'"]),
            (["info", "--json=yes"], ["--json does not take a value"]),
            (["help", "nosuch"], ["unknown command 'nosuch'"]),
            (["--bogus"], ["no command given"]),
            (["info", "-x"], ["unknown option -x"]),
        ]
        for c in cases {
            let o = try vault(c.args)
            #expect(o.status == 64, "\(c.args): \(o)")
            #expect(o.stderr.hasPrefix("Error:"), "\(c.args): \(o)")
            #expect(o.stdout.isEmpty, "\(c.args): \(o)")
            for text in c.mustContain { #expect(o.stderr.contains(text), "\(c.args) should mention \(text): \(o)") }
        }
        #expect(!fileExists("/tmp/never"))
    }

    @Test func flagValueFormsAndTerminator() throws {
        // --vault=PATH is the same as --vault PATH (seen in the error naming the path).
        let eq = try vault(["info", "--vault=/tmp/nowhere-\(getpid())/v.dv", "--json"])
        #expect(eq.status == 66)
        #expect(eq.stderr.contains("/tmp/nowhere-\(getpid())/v.dv"))
        // Global options may come before the command.
        let before = try vault(["--vault", "/tmp/nowhere-\(getpid())/w.dv", "info"])
        #expect(before.status == 66)
        #expect(before.stderr.contains("/tmp/nowhere-\(getpid())/w.dv"))
        // After --, words are arguments, not options.
        let help = try vault(["help", "--", "init"])
        let initHelp = try vault(["init", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout == initHelp.stdout)
    }

    @Test func helpAndVersion() throws {
        let main = try vault(["--help"])
        #expect(main.status == 0)
        #expect(main.stdout.hasPrefix("OVERVIEW:"))
        #expect(main.stdout.contains("EXIT STATUS:"))
        for (code, words) in [("0", "success"), ("1", "other error"), ("64", "usage"), ("65", "damaged"), ("66", "no vault"),
                              ("73", "cannot write"), ("75", "busy"), ("77", "wrong passphrase")] {
            let line = main.stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(code + " ") }
            #expect(line?.contains(words) == true, "exit status \(code) is not documented: \(main.stdout)")
        }
        for command in ["init", "info", "check", "passwd"] { #expect(main.stdout.contains("  \(command) ")) }
        #expect(try vault(["help"]).stdout == main.stdout)
        #expect(try vault([]).stdout == main.stdout)

        for command in ["init", "info", "check", "passwd", "demo", "help"] {
            let a = try vault(["help", command])
            let b = try vault([command, "--help"])
            let c = try vault([command, "-h"])
            #expect(a.status == 0 && b.status == 0 && c.status == 0)
            #expect(a.stdout == b.stdout, "\(command)")
            #expect(b.stdout == c.stdout, "\(command)")
            #expect(a.stdout.hasPrefix("OVERVIEW:"))
            #expect(a.stdout.contains("USAGE: vault \(command)"))
            #expect(a.stdout.contains("--vault PATH"))
            #expect(a.stderr.isEmpty)
        }
        let passwdHelp = try vault(["passwd", "--help"]).stdout
        for option in ["--new-passphrase-file", "--new-passphrase-fd", "--kdf", "--rotate-key", "--wait", "--passphrase-file"] {
            #expect(passwdHelp.contains(option), "passwd help lacks \(option)")
        }

        let version = try vault(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("vault \(VaultCLI.version) "), "\(version)")
        #expect(version.stdout.contains("format v1"))
        #expect(version.stdout.contains("libsodium \(Sodium.version)"))
    }
}
