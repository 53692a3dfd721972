#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

// Small, self-contained helpers for DebtCommandTests and InteractiveAddTests: they run the built
// `vault` binary (or python3 for the pseudo-terminal tests) as a child process in its own session
// (no controlling terminal), with standard input from bytes and output captured in unlinked files.

/// How a `vault` child ended and what it printed.
struct DebtCLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

    /// Parses standard output as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }

    func jsonObject() throws -> [String: Any] {
        try #require(try json() as? [String: Any], "not a JSON object: \(self)")
    }

    func jsonArray() throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "not a JSON array of objects: \(self)")
    }
}

enum DebtCLI {
    /// Directory of the running test executable.
    static let testDirectory: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (path as NSString).deletingLastPathComponent
    }()

    /// The built `vault` executable: next to the test bundle, or in `<scratch>/debug`.
    static func binary() throws -> String {
        let parent = (testDirectory as NSString).deletingLastPathComponent
        let candidates = [testDirectory + "/vault", parent + "/debug/vault"]
        return try #require(candidates.first { access($0, X_OK) == 0 },
                            "no built vault binary near \(testDirectory); run 'swift build --build-tests' first")
    }

    /// A new private directory under /tmp.
    static func makeDirectory(_ prefix: String = "debt-cli") throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        return String(cString: made!)
    }

    static func deleteTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file under `dir` (recursively), with its path.
    static func filesUnder(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let full = dir + "/" + rel
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { out.append(full) }
        }
        return out
    }

    /// Every entry name under `dir` (recursively), relative.
    static func entriesUnder(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? []
    }

    /// A minimal environment with no secrets.
    static func environment(home: String, tmp: String? = nil) -> [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
                   "HOME": home, "LANG": "C.UTF-8"]
        if let tmp { env["TMPDIR"] = tmp }
        return env
    }

    /// An unlinked, close-on-exec temporary file (for capture and for standard input).
    private static func anonymousFile() throws -> Int32 {
        let path = "/tmp/debt-cli-capture-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        unlink(path)
        return fd
    }

    private static func readAll(_ fd: Int32) -> String {
        lseek(fd, 0, SEEK_SET)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs `executable ARGS` to completion (killed after `timeout` seconds).
    static func spawn(_ executable: String, _ args: [String], stdin: [UInt8]? = nil,
                      environment: [String: String], timeout: Double = 60) throws -> DebtCLIResult {
        let inFD = try anonymousFile()
        defer { close(inFD) }
        if let stdin {
            var done = 0
            while done < stdin.count {
                let n = stdin.withUnsafeBytes { write(inFD, $0.baseAddress! + done, stdin.count - done) }
                try #require(n > 0)
                done += n
            }
        }
        lseek(inFD, 0, SEEK_SET)
        let outFD = try anonymousFile()
        defer { close(outFD) }
        let errFD = try anonymousFile()
        defer { close(errFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A new session: no controlling terminal, so nothing can prompt on /dev/tty.
        posix_spawnattr_setflags(&attr, 0x80)  // POSIX_SPAWN_SETSID (glibc >= 2.26; hidden behind _GNU_SOURCE)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        try #require(rc == 0, "posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { Issue.record("waitpid failed"); break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                Issue.record("\(executable) \(args) timed out after \(timeout) s")
                break
            }
            usleep(2000)
        }
        let exited = (status & 0x7f) == 0
        let code: Int32 = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return DebtCLIResult(status: code, stdout: readAll(outFD), stderr: readAll(errFD))
    }
}

/// A fresh vault in a private directory, created with `vault init --kdf interactive`, and the
/// passphrase in a file beside it (in a separate directory, so the vault's directory holds only
/// what `vault` writes). Deleted on deinit.
final class DebtTestVault {
    let root: String
    /// The directory that holds the vault file and nothing else.
    let vaultDir: String
    let path: String
    let passphraseFile: String
    let home: String
    let tmp: String

    init() throws {
        root = try DebtCLI.makeDirectory("debt-vault-test")
        vaultDir = root + "/vault"
        home = root + "/home"
        tmp = root + "/tmp"
        for d in [vaultDir, home, tmp, root + "/secret"] { mkdir(d, 0o700) }
        path = vaultDir + "/v.dv"
        passphraseFile = root + "/secret/pw"
        try "correct horse battery staple \(UUID().uuidString)\n".write(toFile: passphraseFile, atomically: false, encoding: .utf8)
        let r = try run(["init", "--kdf", "interactive"])
        try #require(r.status == 0, "vault init failed: \(r)")
    }

    deinit { DebtCLI.deleteTree(root) }

    var environment: [String: String] { DebtCLI.environment(home: home, tmp: tmp) }

    /// The arguments that name this vault and its passphrase.
    var vaultArguments: [String] { ["--vault", path, "--passphrase-file", passphraseFile] }

    /// Runs `vault --vault ... --passphrase-file ... [--today D] ARGS`.
    @discardableResult
    func run(_ args: [String], today: String? = nil, stdin: [UInt8]? = nil) throws -> DebtCLIResult {
        // The vault and --today first: the command's own arguments stay last, exactly as given.
        var all = vaultArguments
        if let today { all += ["--today", today] }
        all += args
        return try DebtCLI.spawn(try DebtCLI.binary(), all, stdin: stdin, environment: environment)
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ args: [String], today: String? = nil, stdin: [UInt8]? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) throws -> DebtCLIResult {
        let r = try run(args, today: today, stdin: stdin)
        try #require(r.status == 0, "vault \(args.joined(separator: " ")) failed: \(r)", sourceLocation: sourceLocation)
        return r
    }

    /// `vault add ... --json`, returning the created debt's id.
    @discardableResult
    func add(_ args: [String], today: String = "2026-12-01", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try ok(["add"] + args + ["--json"], today: today, sourceLocation: sourceLocation)
        let obj = try r.jsonObject()
        return try #require(obj["id"] as? String, "no id in \(r)", sourceLocation: sourceLocation)
    }

    /// `vault list --json` (with `--all` when asked).
    func list(today: String, all: Bool = false) throws -> [[String: Any]] {
        try ok(["list", "--json"] + (all ? ["--all"] : []), today: today).jsonArray()
    }

    /// One entry of `vault list --json`, or nil.
    func listed(_ id: String, today: String, all: Bool = false) throws -> [String: Any]? {
        try list(today: today, all: all).first { $0["id"] as? String == id }
    }

    /// `vault show ID --json`.
    func show(_ id: String, today: String) throws -> [String: Any] {
        try ok(["show", id, "--json"], today: today).jsonObject()
    }

    /// The number of changes `vault undo --list` reports.
    func undoableCount() throws -> Int {
        let r = try ok(["undo", "--list", "--json"])
        return try #require(try r.json() as? [Any], "not a JSON array: \(r)").count
    }
}

/// Amounts in JSON are decimal strings; these helpers turn them into minor units exactly.
enum DebtAmount {
    /// "8884.88" -> 888488 (two decimals); nil when not a plain decimal string.
    static func cents(_ value: Any?) -> Int64? {
        guard let s = value as? String, !s.isEmpty else { return nil }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let whole = Int64(parts[0]) else { return nil }
        if parts.count == 1 { return whole * 100 }
        guard parts[1].count == 2, let frac = Int64(parts[1]) else { return nil }
        return whole * 100 + frac
    }

    /// Whether `value` is a decimal string with exactly two decimals ("8884.88").
    static func isDecimalString(_ value: Any?) -> Bool {
        guard let s = value as? String else { return false }
        return s.wholeMatch(of: /[0-9]+\.[0-9]{2}/) != nil
    }

    /// Whether `value` is a "YYYY-MM-DD" string.
    static func isDate(_ value: Any?) -> Bool {
        guard let s = value as? String else { return false }
        return s.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil
    }
}
