#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import VaultCrypto

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format2: $0) }.joined() }

extension String {
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}

func bytes(hex: String) -> [UInt8] {
    let chars = Array(hex.utf8)
    precondition(chars.count % 2 == 0)
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: preconditionFailure("not hex")
        }
    }
    return stride(from: 0, to: chars.count, by: 2).map { nibble(chars[$0]) << 4 | nibble(chars[$0 + 1]) }
}

func contents(_ s: SecureBytes) -> [UInt8] { s.withUnsafeBytes { Array($0) } }

/// Low Argon2id parameters for library-level tests only (libsodium's minimums).
let fastKDF = KDFParameters(opslimit: 1, memlimit: 8192)

@Suite("SecureBytes")
struct SecureBytesTests {
    @Test func countAndZeroedOnAllocation() throws {
        let s = try SecureBytes(count: 48)
        #expect(s.count == 48)
        #expect(contents(s) == [UInt8](repeating: 0, count: 48))
        let empty = try SecureBytes(count: 0)
        #expect(empty.count == 0)
        #expect(contents(empty).isEmpty)
    }

    @Test func copyingArrayAndBuffer() throws {
        let source: [UInt8] = Array(0..<100)
        let a = try SecureBytes(copying: source)
        #expect(a.count == 100)
        #expect(contents(a) == source)
        let b = try source.withUnsafeBytes { try SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[10..<20])) }
        #expect(contents(b) == Array(10..<20))
        // A copy is independent of the original storage.
        a.withUnsafeMutableBytes { $0[0] = 0xAA }
        #expect(contents(a)[0] == 0xAA)
        #expect(source[0] == 0)
    }

    @Test func prefixCopiesTheFirstBytes() throws {
        let a = try SecureBytes(copying: [1, 2, 3, 4, 5] as [UInt8])
        #expect(contents(try a.prefix(3)) == [1, 2, 3])
        #expect(contents(try a.prefix(99)) == [1, 2, 3, 4, 5])
        #expect(try a.prefix(0).count == 0)
    }

    @Test func randomBuffersDiffer() throws {
        let a = try SecureBytes.random(count: 32)
        let b = try SecureBytes.random(count: 32)
        #expect(a.count == 32)
        #expect(!a.isEqual(to: b))
        #expect(contents(a) != [UInt8](repeating: 0, count: 32))
        #expect(Sodium.randomBytes(24) != Sodium.randomBytes(24))
    }

    @Test func isEqualComparesContentsOnly() throws {
        let base: [UInt8] = Array(repeating: 7, count: 64)
        let a = try SecureBytes(copying: base)
        let b = try SecureBytes(copying: base)
        #expect(a.isEqual(to: b))
        #expect(a.isEqual(to: a))
        var first = base
        first[0] ^= 1
        var last = base
        last[63] ^= 0x80
        #expect(!a.isEqual(to: try SecureBytes(copying: first)))
        #expect(!a.isEqual(to: try SecureBytes(copying: last)))
        // Different lengths never compare equal, even when one is a prefix of the other.
        #expect(!a.isEqual(to: try a.prefix(63)))
        #expect(try SecureBytes(count: 0).isEqual(to: try SecureBytes(count: 0)))
        #expect(!(try SecureBytes(count: 0)).isEqual(to: try SecureBytes(count: 1)))
    }

    @Test func constantTimeEqualAndZero() {
        var a: [UInt8] = [1, 2, 3]
        let b: [UInt8] = [1, 2, 3]
        let c: [UInt8] = [1, 2, 4]
        #expect(a.withUnsafeBytes { x in b.withUnsafeBytes { Sodium.constantTimeEqual(x, $0) } })
        #expect(!a.withUnsafeBytes { x in c.withUnsafeBytes { Sodium.constantTimeEqual(x, $0) } })
        Sodium.zero(&a)
        #expect(a == [0, 0, 0])
    }
}

@Suite("XChaCha20-Poly1305")
struct AEADTests {
    let key: SecureBytes
    let nonce: [UInt8]
    let ad: [UInt8] = Array("header bytes".utf8)
    let message: [UInt8] = Array("1,000 debts and 100,000 repayments".utf8)

    init() throws {
        key = try SecureBytes.random(count: XChaCha20Poly1305.keyLength)
        nonce = Sodium.randomBytes(XChaCha20Poly1305.nonceLength)
    }

    func seal(_ m: [UInt8], key: SecureBytes? = nil, nonce: [UInt8]? = nil, ad: [UInt8]? = nil) throws -> [UInt8] {
        try m.withUnsafeBytes { try XChaCha20Poly1305.seal($0, key: key ?? self.key, nonce: nonce ?? self.nonce, associatedData: ad ?? self.ad) }
    }

    func open(_ c: [UInt8], key: SecureBytes? = nil, nonce: [UInt8]? = nil, ad: [UInt8]? = nil) throws -> [UInt8] {
        contents(try c.withUnsafeBytes {
            try XChaCha20Poly1305.open($0, key: key ?? self.key, nonce: nonce ?? self.nonce, associatedData: ad ?? self.ad)
        })
    }

    @Test func sizes() {
        #expect(XChaCha20Poly1305.keyLength == 32)
        #expect(XChaCha20Poly1305.nonceLength == 24)
        #expect(XChaCha20Poly1305.tagLength == 16)
    }

    @Test func roundTrip() throws {
        let sealed = try seal(message)
        #expect(sealed.count == message.count + 16)
        #expect(Array(sealed.prefix(message.count)) != message)
        #expect(try open(sealed) == message)
        let empty = try seal([])
        #expect(empty.count == 16)
        #expect(try open(empty) == [])
    }

    @Test func wrongKeyFails() throws {
        let sealed = try seal(message)
        let other = try SecureBytes.random(count: 32)
        #expect(throws: CryptoError.authenticationFailed) { try open(sealed, key: other) }
    }

    @Test func wrongNonceFails() throws {
        let sealed = try seal(message)
        var n = nonce
        n[23] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try open(sealed, nonce: n) }
    }

    @Test func everyFlippedCiphertextByteFails() throws {
        let sealed = try seal(message)
        for i in sealed.indices {
            var c = sealed
            c[i] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed, "byte \(i)") { try open(c) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try open(Array(sealed.dropLast())) }
        #expect(throws: CryptoError.authenticationFailed) { try open(Array(sealed.prefix(15))) }
    }

    @Test func everyFlippedAssociatedDataByteFails() throws {
        let sealed = try seal(message)
        for i in ad.indices {
            var a = ad
            a[i] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed, "AD byte \(i)") { try open(sealed, ad: a) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try open(sealed, ad: ad + [0]) }
        #expect(throws: CryptoError.authenticationFailed) { try open(sealed, ad: []) }
    }

    @Test func badLengthsAreRejected() throws {
        let shortKey = try SecureBytes(count: 31)
        #expect(throws: CryptoError.invalidLength(what: "key", expected: 32, actual: 31)) { try seal(message, key: shortKey) }
        #expect(throws: CryptoError.invalidLength(what: "nonce", expected: 24, actual: 12)) { try seal(message, nonce: Array(nonce.prefix(12))) }
    }

    /// draft-irtf-cfrg-xchacha A.3.1; the expected bytes were recomputed independently with
    /// Python (HChaCha20 by hand + cryptography's ChaCha20Poly1305).
    @Test func knownAnswer() throws {
        let k = try SecureBytes(copying: Array(UInt8(0x80)...UInt8(0x9f)))
        let n = Array(UInt8(0x40)...UInt8(0x57))
        let a = bytes(hex: "50515253c0c1c2c3c4c5c6c7")
        let m = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let expected = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
            + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            + "21f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf49"
        let sealed = try seal(m, key: k, nonce: n, ad: a)
        #expect(hex(sealed) == expected)
        #expect(try open(bytes(hex: expected), key: k, nonce: n, ad: a) == m)
    }
}

@Suite("Argon2id")
struct Argon2idTests {
    let salt = Array("0123456789abcdef".utf8)

    func derive(_ passphrase: String, salt: [UInt8]? = nil, params: KDFParameters = fastKDF, length: Int = 32) throws -> [UInt8] {
        let p = try SecureBytes(copying: Array(passphrase.utf8))
        return contents(try Argon2id.deriveKey(length: length, passphrase: p, salt: salt ?? self.salt, parameters: params))
    }

    @Test func libsodiumMinimums() {
        #expect(Argon2id.saltLength == 16)
        #expect(Argon2id.minimumOpslimit == 1)
        #expect(Argon2id.minimumMemlimit == 8192)
    }

    @Test func deterministic() throws {
        let a = try derive("correct horse")
        let b = try derive("correct horse")
        #expect(a.count == 32)
        #expect(a == b)
        #expect(a != [UInt8](repeating: 0, count: 32))
        #expect(try derive("correct horse", length: 64).count == 64)
    }

    @Test func sensitiveToPassphraseSaltAndParameters() throws {
        let base = try derive("correct horse")
        #expect(try derive("correct horsf") != base)
        #expect(try derive("correct horse ") != base)
        var s = salt
        s[15] ^= 1
        #expect(try derive("correct horse", salt: s) != base)
        #expect(try derive("correct horse", params: KDFParameters(opslimit: 2, memlimit: 8192)) != base)
        #expect(try derive("correct horse", params: KDFParameters(opslimit: 1, memlimit: 16384)) != base)
    }

    @Test func emptyPassphraseWorks() throws {
        #expect(try derive("").count == 32)
        #expect(try derive("") != derive("a"))
    }

    /// Reference value from the Argon2 reference CLI:
    /// `echo -n 123 | argon2 ABCDEFGHIJKLMNOP -id -v 13 -k 1024 -t 5` (1 MiB, 5 passes, 1 lane).
    @Test func knownAnswer() throws {
        let out = try derive("123", salt: Array("ABCDEFGHIJKLMNOP".utf8), params: KDFParameters(opslimit: 5, memlimit: 1 << 20))
        #expect(hex(out) == "3c5d010180ba0cf5b6b858cba23b318e42d33088983c404598599c3b029ecac6")
    }

    @Test func badSaltAndImpossibleParameters() throws {
        #expect(throws: CryptoError.invalidLength(what: "salt", expected: 16, actual: 8)) { try derive("x", salt: Array(salt.prefix(8))) }
        // Below libsodium's minimum memory: crypto_pwhash refuses.
        #expect(throws: CryptoError.keyDerivationFailed(memlimit: 1024)) {
            try derive("x", params: KDFParameters(opslimit: 1, memlimit: 1024))
        }
    }

    @Test func presets() {
        #expect(KDFParameters.interactive == KDFParameters(opslimit: 2, memlimit: 64 << 20))
        #expect(KDFParameters.moderate == KDFParameters(opslimit: 3, memlimit: 256 << 20))
        #expect(KDFParameters.sensitive == KDFParameters(opslimit: 4, memlimit: 1 << 30))
        #expect(KDFParameters.preset(named: "moderate") == .moderate)
        #expect(KDFParameters.preset(named: "Moderate") == nil)
        #expect(KDFParameters.sensitive.presetName == "sensitive")
        #expect(fastKDF.presetName == nil)
        #expect(KDFParameters.interactive.description == "Argon2id v1.3, 64 MiB, 2 passes")
    }
}

@Suite("BLAKE2b")
struct BLAKE2bTests {
    func digest(_ b: [UInt8]) -> String { hex(b.withUnsafeBytes { BLAKE2b.hash256($0) }) }

    /// Expected values computed with Python: hashlib.blake2b(data, digest_size=32).hexdigest().
    @Test func knownAnswers() {
        #expect(digest([]) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(digest(Array("abc".utf8)) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(digest(Array("debt-vault format v1".utf8)) == "62ae36c3c83fd9836eef3182f632ced56ed5d07274e69cbc2f68187f35bf87b9")
        #expect(digest((0...255).map { UInt8($0) }) == "39a7eb9fedc19aabc83425c6755dd90e6f9d0c804964a1f4aaeea3b9fb599835")
    }

    @Test func oneBitChangesTheDigest() {
        var data = [UInt8](repeating: 0x5a, count: 200)
        let base = digest(data)
        data[199] ^= 1
        #expect(digest(data) != base)
    }
}

@Suite("Process hardening")
struct ProcessHardeningTests {
    static let childVariable = "VAULT_TEST_HARDENING_CHILD"

    /// apply() lowers the hard RLIMIT_CORE to 0, which an unprivileged process (or root without
    /// CAP_SYS_RESOURCE) can never raise again, and every process spawned afterwards inherits it:
    /// that would make the end-to-end check that the `vault` binary disables core dumps itself
    /// vacuous. So the test bundle re-runs itself with only this test selected, and the child copy
    /// applies the hardening to itself, in process.
    @Test func makesTheProcessNonDumpable() throws {
        if getenv(Self.childVariable) != nil {
            #expect(ProcessHardening.isDumpable, "a fresh process starts dumpable")
            #expect(ProcessHardening.apply())
            #expect(!ProcessHardening.isDumpable)
            var limit = rlimit()
            #expect(getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0)
            #expect(limit.rlim_cur == 0)
            #expect(limit.rlim_max == 0)
            #expect(ProcessHardening.apply(), "idempotent")
            #expect(!ProcessHardening.isDumpable)
            return
        }
        let (status, output) = try runSelf(filter: "ProcessHardeningTests/makesTheProcessNonDumpable", environment: [Self.childVariable + "=1"])
        #expect(output.contains("Test run with 1 test"), "the child did not run exactly this test: \(output)")
        #expect(output.contains("passed"), "\(output)")
        #expect(status == 0, "the in-process hardening test failed in the child: \(output)")
        // This process was left alone.
        #expect(ProcessHardening.isDumpable)
    }

    /// Runs this test bundle again with `--filter`, returning its exit status and output.
    func runSelf(filter: String, environment: [String]) throws -> (Int32, String) {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        try #require(n > 0)
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let outPath = "/tmp/vault-hardening-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(outPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        unlink(outPath)
        defer { close(fd) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)
        let args = [exe, "--testing-library", "swift-testing", "--filter", filter]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = environment
        if let path = getenv("PATH") { env.append("PATH=" + String(cString: path)) }
        env.append("NO_COLOR=1")
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, exe, &actions, nil, argv, envp) == 0)
        var status: Int32 = 0
        let deadline = time(nil) + 120
        while waitpid(pid, &status, WNOHANG) == 0 {
            if time(nil) > deadline { kill(pid, SIGKILL) }
            usleep(5_000)
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = pread(fd, &chunk, chunk.count, off_t(out.count))
            if r <= 0 { break }
            out += chunk[0..<r]
        }
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, String(decoding: out, as: UTF8.self))
    }

    @Test func libsodiumVersion() throws {
        try Sodium.ensureInitialized()
        #expect(Sodium.version.hasPrefix("1."))
    }
}
