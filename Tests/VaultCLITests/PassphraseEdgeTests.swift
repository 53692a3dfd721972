#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

// Passphrase edge cases against the real `vault` binary (issue 8; docs/FORMAT.md section 3).
// EndToEndTests.passphraseSources already covers: an NFD file opening a vault made from an NFC
// descriptor, "\n" and "\r\n" endings, "pw\n\n" not opening a vault made with "pw", and a command
// exiting 3. This suite goes further.

/// A workspace for passphrase tests: `<root>/v/vault.dv`, passphrase files written as raw bytes.
struct PassphraseLab {
    let root: String
    var path: String { root + "/v/vault.dv" }

    /// Writes `bytes` to a new file under root and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = root + "/" + name
        try writeBytes(p, bytes)
        return p
    }

    /// `vault init --kdf interactive` with the given source arguments (and descriptors).
    func initialize(_ source: [String], fds: [Int32: [UInt8]] = [:]) throws {
        let o = try vault(["init", "--kdf", "interactive", "--vault", path] + source, fds: fds)
        try #require(o.status == 0, "init failed: \(o)")
    }

    /// `vault list --json` with the given source: its outcome.
    func list(_ source: [String], fds: [Int32: [UInt8]] = [:]) throws -> ProcessOutcome {
        try vault(["list", "--json", "--vault", path] + source, fds: fds)
    }
}

/// A shell word that prints `bytes` exactly with printf (octal escapes for everything).
func printfCommand(_ bytes: [UInt8]) -> String {
    "printf '" + bytes.map { b in
        let octal = String(b, radix: 8)
        return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
    }.joined() + "'"
}

@Suite("passphrase edge cases")
struct PassphraseEdgeTests {
    // MARK: Unicode normalisation

    /// A passphrase mixing Latin accents, Hangul and canonical singletons (Angstrom sign, Ohm sign,
    /// Kelvin sign) typed in NFD opens with its NFC form, and both with a third, half-composed form,
    /// through every source. Only canonical equivalence counts: a compatibility variant (NFKC:
    /// the "fi" ligature, a full-width letter) is another passphrase.
    @Test func canonicallyEquivalentPassphrasesOpenTheSameVault() throws {
        try withTempDirectory { root in
            let lab = PassphraseLab(root: root)
            let nfc = "Cr\u{E8}me br\u{FB}l\u{E9}e \u{D55C}\u{AD6D}\u{C5B4} \u{C5}ngstr\u{F6}m \u{3A9} K fi A"
            let nfd = "Cre\u{300}me bru\u{302}le\u{301}e \u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}\u{110B}\u{1165} "
                + "A\u{30A}ngstro\u{308}m \u{3A9} K fi A"
            // Angstrom, Ohm and Kelvin signs are canonical singletons: NFC maps them to Å, Ω and K.
            let singletons = "Cr\u{E8}me bru\u{302}l\u{E9}e \u{D55C}\u{1100}\u{116E}\u{11A8}\u{C5B4} \u{212B}ngstr\u{F6}m \u{2126} \u{212A} fi A"
            let compatibility = "Cr\u{E8}me br\u{FB}l\u{E9}e \u{D55C}\u{AD6D}\u{C5B4} \u{C5}ngstr\u{F6}m \u{3A9} K \u{FB01} \u{FF21}"
            #expect(nfc.precomposedStringWithCanonicalMapping == nfc)
            #expect(Array(nfd.utf8) != Array(nfc.utf8) && Array(singletons.utf8) != Array(nfc.utf8))
            #expect(nfd.precomposedStringWithCanonicalMapping == nfc && singletons.precomposedStringWithCanonicalMapping == nfc)

            // Created from the NFD form through a descriptor (no newline).
            try lab.initialize(["--passphrase-fd", "3"], fds: [3: Array(nfd.utf8)])
            let nfcFile = try lab.file("nfc", Array((nfc + "\n").utf8))
            let singletonFile = try lab.file("singletons", Array((singletons + "\r\n").utf8))
            let opens: [(String, [String], [Int32: [UInt8]])] = [
                ("NFC file", ["--passphrase-file", nfcFile], [:]),
                ("NFD command", ["--passphrase-command", printfCommand(Array((nfd + "\n").utf8))], [:]),
                ("singletons file", ["--passphrase-file", singletonFile], [:]),
                ("NFC descriptor", ["--passphrase-fd", "5"], [5: Array(nfc.utf8)]),
            ]
            for (name, source, fds) in opens {
                let o = try lab.list(source, fds: fds)
                #expect(o.status == 0, "\(name) must open the vault made from NFD: \(o)")
            }
            let compat = try lab.list(["--passphrase-file", try lab.file("compat", Array(compatibility.utf8))])
            #expect(compat.status == 77, "a compatibility (NFKC) variant is a different passphrase: \(compat)")
            // A byte-order mark is part of the passphrase (nothing but one newline is stripped).
            let bom = try lab.list(["--passphrase-file", try lab.file("bom", [0xEF, 0xBB, 0xBF] + Array((nfc + "\n").utf8))])
            #expect(bom.status == 77, "\(bom)")
        }
    }

    // MARK: newlines

    /// A passphrase file "P\n\n" is the passphrase "P\n": exactly one newline is stripped, from every
    /// source, and a CRLF counts as one.
    @Test func exactlyOneTrailingNewlineIsStripped() throws {
        try withTempDirectory { root in
            let lab = PassphraseLab(root: root)
            let p = Array("newline-edge passphrase 42".utf8)
            let twoLF = try lab.file("twolf", p + [0x0A, 0x0A])
            try lab.initialize(["--passphrase-file", twoLF])
            let cases: [(String, [String], [Int32: [UInt8]], Int32)] = [
                ("file P\\n\\n", ["--passphrase-file", twoLF], [:], 0),
                ("descriptor P\\n\\n", ["--passphrase-fd", "3"], [3: p + [0x0A, 0x0A]], 0),
                ("command printing P\\n\\n", ["--passphrase-command", printfCommand(p + [0x0A, 0x0A])], [:], 0),
                ("file P\\n\\r\\n", ["--passphrase-file", try lab.file("lfcrlf", p + [0x0A, 0x0D, 0x0A])], [:], 0),
                ("descriptor P\\n (no newline left)", ["--passphrase-fd", "3"], [3: p + [0x0A]], 77),
                ("file P", ["--passphrase-file", try lab.file("bare", p)], [:], 77),
                ("file P\\r\\n", ["--passphrase-file", try lab.file("crlf", p + [0x0D, 0x0A])], [:], 77),
                ("file P\\n\\r (a lone CR stays)", ["--passphrase-file", try lab.file("lfcr", p + [0x0A, 0x0D])], [:], 77),
            ]
            for (name, source, fds, want) in cases {
                let o = try lab.list(source, fds: fds)
                #expect(o.status == want, "\(name): \(o)")
            }
        }
    }

    // MARK: failing passphrase commands

    /// A --passphrase-command that fails, is killed, or prints nothing is a usage error (64) with a
    /// clear message, never an empty passphrase and never "wrong passphrase"; nothing is written.
    @Test func failingOrSilentPassphraseCommandIsAClearError() throws {
        try withTempDirectory { root in
            let lab = PassphraseLab(root: root)
            let right = "command-edge passphrase 77"
            try lab.initialize(["--passphrase-command", "printf '%s\\n' '\(right)'"])
            let before = try readBytes(lab.path)
            let cases: [(command: String, message: String)] = [
                ("exit 1", "exit status 1"),
                ("printf '%s' '\(right)'; exit 1", "exit status 1"),  // its output is not used
                ("kill -9 $$", "killed by a signal"),
                ("/nonexistent/secret-tool lookup app debt-vault", "exit status 127"),
                ("true", "passphrase is empty"),
                ("echo", "passphrase is empty"),
                ("printf '\\r\\n'", "passphrase is empty"),
            ]
            for (command, message) in cases {
                for args in [["list", "--json"], ["pay", "nothing1", "1"]] {
                    let o = try vault(args + ["--vault", lab.path, "--passphrase-command", command])
                    #expect(o.status == 64, "\(command) / \(args[0]): \(o)")
                    #expect(o.stderr.contains("Error: ") && o.stderr.contains(message), "\(command): \(o)")
                    #expect(!o.stderr.contains("wrong passphrase"), "\(command): \(o)")
                    #expect(!o.stderr.contains(right))
                }
            }
            #expect(try readBytes(lab.path) == before)
            #expect(listDirectory(root + "/v") == ["vault.dv", "vault.dv.lock"])
            // init with a failing command creates nothing, not even the directory.
            let fresh = try vault(["init", "--kdf", "interactive", "--vault", root + "/w/vault.dv", "--passphrase-command", "exit 1"])
            #expect(fresh.status == 64 && fresh.stderr.contains("exit status 1"), "\(fresh)")
            #expect(!fileExists(root + "/w"))
        }
    }

    // MARK: the terminal after a signal at the prompt

    static func onTerminal(_ args: [String], steps: [(String, String)], root: String) throws -> TerminalOutcome {
        try TerminalDriver.run([try Harness.vaultBinary()] + args, environment: Harness.environment(extra: ["TERM": "dumb"]),
                               steps: steps, in: root, secretPrompts: true)
    }

    /// Ctrl-C (and Ctrl-\, SIGTERM, SIGHUP) at the passphrase prompt, and Ctrl-C at init's confirmation
    /// prompt: the process ends by that signal and the terminal's echo (all of termios) is restored.
    @Test func terminalEchoIsRestoredAfterASignalAtThePrompt() throws {
        try withTempDirectory { root in
            let lab = PassphraseLab(root: root)
            let pw = try lab.file("pw", Array("terminal-edge passphrase 3".utf8))
            try lab.initialize(["--passphrase-file", pw])
            let before = try readBytes(lab.path)
            let cases: [(name: String, send: String, signal: Int32)] = [
                ("Ctrl-C", "\u{03}", SIGINT), ("Ctrl-\\", "\u{1C}", SIGQUIT), ("SIGTERM", "SIGTERM", SIGTERM), ("SIGHUP", "SIGHUP", SIGHUP),
            ]
            for c in cases {
                let out = try Self.onTerminal(["list", "--vault", lab.path], steps: [("passphrase: ", c.send)], root: root)
                #expect(out.missing == nil, "\(c.name): \(out)")
                #expect(out.echoBefore && out.echoAtPrompt == false, "\(c.name): echo must be off at the prompt: \(out)")
                #expect(out.exit == -Int(c.signal), "\(c.name): the process must end by that signal: \(out)")
                #expect(out.echoAfter && out.restored, "\(c.name): the terminal was left without echo: \(out)")
            }
            // Ctrl-C at the second prompt of init, after a passphrase was typed.
            let fresh = root + "/n/vault.dv"
            let out = try Self.onTerminal(["init", "--kdf", "interactive", "--vault", fresh],
                                          steps: [("passphrase: ", "first-answer typed here\r"), ("confirm passphrase: ", "\u{03}")], root: root)
            #expect(out.missing == nil && out.exit == -Int(SIGINT), "\(out)")
            #expect(out.echoAtPrompt == false && out.echoAfter && out.restored, "\(out)")
            #expect(!out.transcript.contains("first-answer"), "the typed passphrase was echoed: \(out)")
            #expect(!fileExists(fresh))
            #expect(try readBytes(lab.path) == before)
        }
    }
}
