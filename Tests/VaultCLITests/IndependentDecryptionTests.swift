#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import DebtModel
import VaultCrypto
import VaultStorage

// Independent decryption (issue 8): Scripts/pynacl-decrypt.py, written only from docs/FORMAT.md with
// PyNaCl's libsodium bindings (Debian's python3-nacl, run by /usr/bin/python3; Scripts/test installs
// it), opens vaults the `vault` binary made. Its plaintext must equal, byte for byte, what the ctypes
// reference (Scripts/vault-format.py) and the Swift library decrypt, and decode as a docs/payload.md
// document holding what was recorded.

enum IndependentReader {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var pynacl: String { repositoryRoot + "/Scripts/pynacl-decrypt.py" }
    static var ctypesReference: String { repositoryRoot + "/Scripts/vault-format.py" }
    static let python = "/usr/bin/python3"

    /// Runs pynacl-decrypt.py on `vault`; returns its outcome and the plaintext it wrote.
    static func pynaclDecrypt(_ vault: String, passphraseFile: String, scratch: String) throws -> (ProcessOutcome, [UInt8]?) {
        let out = scratch + "/pynacl-\(UInt32.random(in: 0...UInt32.max)).plain"
        defer { unlink(out) }
        let o = try Harness.spawn(python, [pynacl, vault, "--passphrase-file", passphraseFile, "--out", out]).wait(timeout: 60)
        return (o, fileExists(out) ? try readBytes(out) : nil)
    }

    /// Runs `vault-format.py decrypt` (the ctypes reference) on `vault`.
    static func ctypesDecrypt(_ vault: String, passphraseFile: String, scratch: String) throws -> (ProcessOutcome, [UInt8]?) {
        let out = scratch + "/ctypes-\(UInt32.random(in: 0...UInt32.max)).plain"
        defer { unlink(out) }
        let o = try Harness.spawn(python, [ctypesReference, "decrypt", vault, "--passphrase-file", passphraseFile, "--out", out]).wait(timeout: 60)
        return (o, fileExists(out) ? try readBytes(out) : nil)
    }
}

@Suite("independent decryption (PyNaCl)")
struct IndependentDecryptionTests {
    @Test func pyNaClIsInstalledForTheSystemPython() throws {
        let o = try Harness.spawn(IndependentReader.python, ["-c", "import nacl.bindings as b; print(b.crypto_pwhash_ALG_ARGON2ID13)"]).wait(timeout: 60)
        #expect(o.status == 0 && o.stdout == "2\n", "python3-nacl missing for /usr/bin/python3 (Scripts/test installs it): \(o)")
    }

    /// init + add + pay with the binary; PyNaCl decrypts the vault and its backup; the bytes equal the
    /// ctypes reference's and the Swift library's, start with payload version 1 and decode to the debt
    /// and payments recorded. A wrong passphrase gives 77.
    @Test func pyNaClDecryptsWhatTheBinaryWrote() throws {
        try withTempDirectory { root in
            let v = try PayVault(root: root)
            try v.create(payments: ["12.34"])
            try v.ok(["pay", PayVault.debt, "0.66", "--note", "备注 note ✓"])
            let key = try v.dataKey()

            let (o, plain) = try IndependentReader.pynaclDecrypt(v.path, passphraseFile: v.passphraseFile, scratch: root)
            try #require(o.status == 0, "pynacl-decrypt failed: \(o)")
            let payload = try #require(plain)
            #expect(o.stderr.contains("opslimit=2 memlimit=67108864 codec=1"), "\(o)")
            let (c, reference) = try IndependentReader.ctypesDecrypt(v.path, passphraseFile: v.passphraseFile, scratch: root)
            #expect(c.status == 0, "vault-format.py decrypt failed: \(c)")
            #expect(reference == payload, "PyNaCl and the ctypes reference disagree")
            let file = try VaultFile(parsing: readBytes(v.path), policy: .release)
            let swift = try key.openPayload(file).withUnsafeBytes { Array($0) }
            #expect(swift == payload, "PyNaCl and the Swift library disagree")

            // docs/payload.md: the document starts with its version, u16 little-endian 1.
            #expect(Array(payload.prefix(2)) == [0x01, 0x00], "payload version header: \(payload.prefix(4))")
            #expect(payload.count >= 2 && UInt16(payload[0]) | UInt16(payload[1]) << 8 == VaultDocument.payloadVersion)
            let doc = try VaultDocument(decoding: payload)
            #expect(doc.debts.map(\.name) == ["Fault 故障 Lender"])
            #expect(doc.payments.map { $0.amount.minorUnits } == [1234, 66])
            #expect(doc.payments.last?.note == "备注 note ✓")
            #expect(containsRun(payload, Array("Fault 故障 Lender".utf8)), "the UTF-8 name is in the plaintext")

            // The backup generation is the same format: the state before the last pay.
            let (b, backupPlain) = try IndependentReader.pynaclDecrypt(v.backup, passphraseFile: v.passphraseFile, scratch: root)
            #expect(b.status == 0, "\(b)")
            let backupDoc = try VaultDocument(decoding: try #require(backupPlain))
            #expect(backupDoc.payments.map { $0.amount.minorUnits } == [1234])

            // Wrong passphrase: 77, nothing written.
            try writeText(root + "/wrong", v.passphrase + " ")
            let (w, wrongPlain) = try IndependentReader.pynaclDecrypt(v.path, passphraseFile: root + "/wrong", scratch: root)
            #expect(w.status == 77 && w.stderr.contains("wrong-passphrase") && wrongPlain == nil, "\(w)")
        }
    }

    /// Passphrase bytes and re-keying, read independently: a vault made from an NFD passphrase through
    /// a descriptor opens in PyNaCl with the NFC form and a "\r\n" ending; after `vault passwd` the old
    /// passphrase gives 77 and the new one the same plaintext.
    @Test func pyNaClFollowsPassphraseRulesAndPasswd() throws {
        try withTempDirectory { root in
            let path = root + "/v/vault.dv"
            let made = try vault(["init", "--kdf", "interactive", "--vault", path, "--passphrase-fd", "3"], fds: [3: Array(passANFD.utf8)])
            try #require(made.status == 0, "\(made)")
            try writeText(root + "/nfc-crlf", passA + "\r\n")
            try writeText(root + "/new", passB + "\n")
            let (o, before) = try IndependentReader.pynaclDecrypt(path, passphraseFile: root + "/nfc-crlf", scratch: root)
            #expect(o.status == 0 && before != nil, "NFC + CRLF must open a vault made from NFD: \(o)")
            let passwd = try vault(["passwd", "--vault", path, "--passphrase-file", root + "/nfc-crlf", "--new-passphrase-file", root + "/new"])
            try #require(passwd.status == 0, "\(passwd)")
            let (old, _) = try IndependentReader.pynaclDecrypt(path, passphraseFile: root + "/nfc-crlf", scratch: root)
            #expect(old.status == 77, "\(old)")
            let (new, after) = try IndependentReader.pynaclDecrypt(path, passphraseFile: root + "/new", scratch: root)
            #expect(new.status == 0 && after != nil && after == before, "\(new)")
        }
    }

    /// Every file of the labelled broken corpus gets its documented error code from the PyNaCl reader
    /// (one python process for the whole manifest), and the known-answer fixture its plaintext.
    @Test func pyNaClReaderGivesEveryBrokenFixtureItsCode() throws {
        let fixtures = IndependentReader.repositoryRoot + "/Tests/VaultStorageTests/Fixtures"
        let script = """
        import importlib.util, json, os, sys
        spec = importlib.util.spec_from_file_location("pynacl_decrypt", sys.argv[1])
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        fixtures = sys.argv[2]
        def attempt(path, passphrase_file):
            data = open(path, "rb").read()
            raw = open(passphrase_file, "rb").read()
            try:
                plain, _ = m.decrypt(data, m.passphrase_bytes(raw))
                return "ok", plain
            except m.VaultError as e:
                return e.code, None
        results = []
        broken = os.path.join(fixtures, "broken")
        for e in json.load(open(os.path.join(broken, "manifest.json"))):
            got, _ = attempt(os.path.join(broken, e["file"]), os.path.join(broken, e["passphrase_file"]))
            results.append([e["file"], e["error"], got])
        good = []
        for p in ("v1-interactive.passphrase", "v1-interactive.nfd.passphrase"):
            got, plain = attempt(os.path.join(fixtures, "v1-interactive.dv"), os.path.join(fixtures, p))
            good.append(got == "ok" and plain == open(os.path.join(fixtures, "v1-interactive.plaintext"), "rb").read())
        print(json.dumps({"broken": results, "good": good}))
        """
        let o = try Harness.spawn(IndependentReader.python, ["-c", script, IndependentReader.pynacl, fixtures]).wait(timeout: 120)
        try #require(o.status == 0, "\(o)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any])
        let results = try #require(obj["broken"] as? [[String]])
        #expect(results.count >= 60, "\(results.count) corpus entries")
        for r in results { #expect(r[1] == r[2], "\(r[0]): expected \(r[1]), PyNaCl reader gave \(r[2])") }
        #expect(obj["good"] as? [Bool] == [true, true], "the known-answer fixture (NFC and NFD passphrase files): \(o.stdout)")
    }
}
