#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import DebtModel
import VaultCrypto
import VaultStorage

// Fault injection against the real `vault` binary (issue 8): damaged files with a real payload,
// SIGKILL in the middle of `vault pay`, a full disk, a read-only directory and concurrent writers.
// Every vault is made with `vault init --kdf interactive` (the release floor, about 0.1 s per unlock).
// A stale lock left by a killed process is covered by EndToEndTests.lockOfAKilledProcessDoesNotBlock,
// and again here: every SIGKILL round starts by taking the lock without waiting.

/// A vault with one informal debt of 1,000,000 CNY, in `dir` (default `<root>/v`), with its
/// passphrase in a file outside that directory.
struct PayVault {
    static let today = "2026-12-01"
    static let debt = "informal1"
    let root: String
    let dir: String
    let passphrase: String
    var path: String { dir + "/vault.dv" }
    var backup: String { path + ".bak" }
    var lock: String { path + ".lock" }
    var passphraseFile: String { root + "/pay-pw" }
    /// What the directory holds between commands.
    static let files: Set<String> = ["vault.dv", "vault.dv.bak", "vault.dv.lock"]

    init(root: String, dir: String? = nil) throws {
        self.root = root
        self.dir = dir ?? root + "/v"
        passphrase = "fault-injection passphrase \(UInt32.random(in: 0...UInt32.max))"
        try writeText(root + "/pay-pw", passphrase + "\n")
    }

    /// `vault ARGS --vault ... --passphrase-file ... --today ...`
    func args(_ command: [String]) -> [String] {
        command + ["--vault", path, "--passphrase-file", passphraseFile] + (["init", "check"].contains(command[0]) ? [] : ["--today", Self.today])
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ command: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessOutcome {
        let o = try vault(args(command), sourceLocation: sourceLocation)
        try #require(o.status == 0, "vault \(command) failed: \(o)", sourceLocation: sourceLocation)
        return o
    }

    /// init, add the debt, then one `vault pay` per amount.
    func create(payments: [String]) throws {
        try ok(["init", "--kdf", "interactive"])
        try ok(["add", "--kind", "informal", "--name", "Fault 故障 Lender", "--balance", "1000000", "--json"])
        for a in payments { try ok(["pay", Self.debt, a]) }
    }

    /// The data key, from one unlock through the library (release policy). `vault pay` never changes
    /// the key slot, so this key opens every later version of the vault and of its backup.
    func dataKey() throws -> DataKey {
        try VaultStore(path: path, policy: .release).unlock(passphrase: SecureBytes(copying: Array(passphrase.utf8))).dataKey
    }
}

/// Decodes a vault file's document with a known data key (no KDF).
func decodeDocument(_ bytes: [UInt8], key: DataKey) throws -> VaultDocument {
    let file = try VaultFile(parsing: bytes, policy: .release)
    let plain = try key.openPayload(file)
    return try plain.withUnsafeBytes { try VaultDocument(decoding: $0) }
}

/// Payment amounts (minor units) of a vault file, in payment order.
func paymentAmounts(_ bytes: [UInt8], key: DataKey) throws -> [Int64] {
    try decodeDocument(bytes, key: key).payments.map { $0.amount.minorUnits }
}

/// "12.34" for 1234.
func decimal(_ cents: Int64) -> String {
    let frac = cents % 100
    return "\(cents / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
}

/// Temp files (".vault.dv.tmp-...") in a directory.
func tempFiles(_ dir: String) -> [String] { listDirectory(dir).filter { $0.hasPrefix(".vault.dv.tmp-") }.sorted() }

/// Runs a system command (mount, mkfs...) to completion.
func runTool(_ executable: String, _ args: [String]) throws -> ProcessOutcome {
    try Harness.spawn(executable, args).wait(timeout: 60)
}

/// Unmounts `path` (lazily, so a busy mount never blocks the test run).
func unmount(_ path: String) {
    if umount2(path, 2 /* MNT_DETACH */) != 0 {
        _ = try? runTool("umount", ["-l", path])
    }
}

@Suite("fault injection", .serialized)
struct FaultInjectionTests {
    // MARK: damaged files with a real payload

    /// Every single-byte change and every truncation of a vault holding a debt and two payments, and
    /// of its backup generation (opened with `--vault <path>.bak`): `vault list` refuses with 65, never
    /// crashes, prints nothing on stdout and changes nothing. (EndToEndTests does `check` on an empty vault.)
    @Test func everyFlipAndTruncationOfARealVaultAndItsBackup() throws {
        try withTempDirectory { root in
            let v = try PayVault(root: root)
            try v.create(payments: ["12.34", "56.78"])
            let key = try v.dataKey()
            let good = try readBytes(v.path)
            let goodBackup = try readBytes(v.backup)
            #expect(try paymentAmounts(good, key: key) == [1234, 5678])
            #expect(try paymentAmounts(goodBackup, key: key) == [1234], "the backup is the state before the last pay")
            // The intact backup opens through the binary too.
            let intact = try vault(v.args(["list", "--json"]).map { $0 == v.path ? v.backup : $0 })
            #expect(intact.status == 0 && intact.stdout.contains("\"total_paid\": \"12.34\""), "\(intact)")

            var rng = SystemRandomNumberGenerator()
            var cases: [(name: String, file: String, bytes: [UInt8])] = []
            let dir = root + "/cases"
            try #require(mkdir(dir, 0o700) == 0)
            for (label, bytes, suffix) in [("vault", good, ".dv"), ("backup", goodBackup, ".dv.bak")] {
                for i in 0..<bytes.count {
                    var b = bytes
                    let mask = UInt8.random(in: 1...255, using: &rng)
                    b[i] ^= mask
                    cases.append(("\(label) byte \(i) xor \(mask)", dir + "/\(cases.count)\(suffix)", b))
                }
                for n in 0..<bytes.count {
                    cases.append(("\(label) truncated to \(n)", dir + "/\(cases.count)\(suffix)", Array(bytes.prefix(n))))
                }
            }
            for c in cases { try writeBytes(c.file, c.bytes) }
            let names = listDirectory(dir)
            let binary = try Harness.vaultBinary()
            let jobs: [() throws -> Child] = cases.map { c in
                { try Harness.spawn(binary, ["list", "--json", "--vault", c.file, "--passphrase-file", v.passphraseFile,
                                             "--today", PayVault.today]) }
            }
            let started = monotonicNow()
            let outcomes = try Harness.runAll(jobs, concurrency: 2)
            var failures = 0
            for (c, o) in zip(cases, outcomes) {
                let fine = o.status == 65 && o.signal == nil && o.stderr.hasPrefix("Error:") && o.stdout.isEmpty
                    && !o.stderr.contains("wrong passphrase") && !o.stderr.contains(v.passphrase)
                if !fine { failures += 1 }
                #expect(fine, "\(c.name): \(o)")
                #expect(try readBytes(c.file) == c.bytes, "\(c.name): the command changed the file")
            }
            #expect(listDirectory(dir) == names, "list created or removed files next to damaged vaults")
            #expect(try readBytes(v.path) == good && (try readBytes(v.backup)) == goodBackup)
            print("flip/truncation: \(cases.count) damaged files (vault \(good.count) B, backup \(goodBackup.count) B), "
                  + "\(failures) failures, \(String(format: "%.1f", monotonicNow() - started)) s")
        }
    }

    // MARK: SIGKILL during saves

    /// 200 runs of `vault pay`, each with a different amount, killed with SIGKILL at a random point:
    /// a third at a random moment of the whole run (mostly inside the KDF), a third 0-30 ms after the
    /// test releases the lock the child waits on, a third 0-1.5 ms after the child's temp file appears
    /// (inside the write / fsync / link / rename sequence). After each run the vault opens
    /// (`vault list --json` and the library) and holds the payments before the run, or those plus the
    /// new one, never anything else; the backup holds an earlier state; a successful run leaves no temp file.
    @Test func sigkillDuringPayLeavesTheStateBeforeOrAfter() throws {
        try withTempDirectory { root in
            let v = try PayVault(root: root)
            try v.create(payments: ["1.00"])
            let key = try v.dataKey()
            var expected: [Int64] = [100]
            // Measure one whole `vault pay` to spread the first kind of kill over it.
            let measured = try v.ok(["pay", PayVault.debt, "0.50"]).seconds
            expected.append(50)
            let rounds = 200
            var before = 0, inside = 0, afterRename = 0, completed = 0, listRuns = 0
            var tempSeen = 0
            let started = monotonicNow()
            for round in 0..<rounds {
                let cents = Int64(200 + 3 * round)  // distinct from every other amount
                let args = v.args(["pay", PayVault.debt, decimal(cents), "--wait", "30"])
                let vaultBefore = try readBytes(v.path)
                let backupBefore = try readBytes(v.backup)
                let child: Child
                switch round % 3 {
                case 0:
                    child = try Harness.startVault(args)
                    usleep(UInt32(Double.random(in: 0...(measured * 1.1)) * 1e6))
                    child.kill(SIGKILL)
                default:
                    // The lock must be free: a killed `vault pay` never leaves it held.
                    let lock = try HeldLock(v.lock)
                    child = try Harness.startVault(args)
                    let deadline = monotonicNow() + 20
                    while !hasOpen(child.pid, v.lock) && child.isRunning && monotonicNow() < deadline { usleep(500) }
                    #expect(child.isRunning, "round \(round): ended before waiting for the lock: \(String(describing: child.outcome))")
                    lock.release()
                    if round % 3 == 1 {
                        usleep(UInt32.random(in: 0...30_000))
                    } else {
                        let prefix = ".vault.dv.tmp-\(child.pid)-"
                        let until = monotonicNow() + 0.5
                        while child.isRunning && monotonicNow() < until && !listDirectory(v.dir).contains(where: { $0.hasPrefix(prefix) }) {}
                        usleep(UInt32.random(in: 0...1_500))
                    }
                    child.kill(SIGKILL)
                }
                let o = child.wait(timeout: 30)
                expectNoSecrets(o)
                #expect(!o.stderr.contains(v.passphrase))
                #expect(o.signal == SIGKILL || o.status == 0, "round \(round): \(o)")

                // The vault opens and holds the state before or after.
                let now = try readBytes(v.path)
                let amounts = try paymentAmounts(now, key: key)
                let isBefore = amounts == expected, isAfter = amounts == expected + [cents]
                #expect(isBefore || isAfter, "round \(round): the vault holds neither state: \(amounts.suffix(3)) vs \(expected.suffix(2)) + \(cents)")
                if isAfter { expected.append(cents) }
                if o.status == 0 { #expect(isAfter, "round \(round): success but the payment is missing") }
                let list = try vault(v.args(["list", "--json"]))
                listRuns += 1
                let total = expected.reduce(0, +)
                #expect(list.status == 0 && list.stdout.contains("\"total_paid\": \"\(decimal(total))\""), "round \(round): \(list)")
                // The backup opens with the same key and holds an earlier state.
                let backupAmounts = try paymentAmounts(try readBytes(v.backup), key: key)
                #expect(!backupAmounts.isEmpty && Array(expected.prefix(backupAmounts.count)) == backupAmounts,
                        "round \(round): the backup holds \(backupAmounts.suffix(3))")
                // Only the vault, its backup, the lock and temp files of killed runs.
                let names = listDirectory(v.dir)
                #expect(names.isSuperset(of: PayVault.files), "round \(round): \(names)")
                let temps = tempFiles(v.dir)
                #expect(names.subtracting(PayVault.files) == Set(temps), "round \(round): unexpected files \(names)")
                if o.status == 0 { #expect(temps.isEmpty, "round \(round): a successful pay left temp files \(temps)") }
                let ownTemp = temps.contains { $0.hasPrefix(".vault.dv.tmp-\(child.pid)-") }
                if ownTemp { tempSeen += 1 }
                #expect(try permissions(v.path) == 0o600 && (try permissions(v.backup)) == 0o600)

                if o.status == 0 {
                    completed += 1
                } else if isAfter {
                    afterRename += 1
                } else if try ownTemp || readBytes(v.backup) != backupBefore {
                    inside += 1
                } else {
                    #expect(now == vaultBefore)
                    before += 1
                }
            }
            // The next successful command removes what killed runs left.
            try v.ok(["pay", PayVault.debt, "0.01"])
            expected.append(1)
            #expect(listDirectory(v.dir) == PayVault.files)
            #expect(try paymentAmounts(try readBytes(v.path), key: key) == expected)
            let check = try vault(v.args(["check"]))
            #expect(check.status == 0, "vault and backup must both verify: \(check)")
            let seconds = monotonicNow() - started
            print("sigkill pay: \(rounds) runs in \(String(format: "%.1f", seconds)) s (one pay: \(String(format: "%.3f", measured)) s): "
                  + "\(before) killed before the save, \(inside) inside it (temp file or backup already replaced), "
                  + "\(afterRename) after the rename, \(completed) completed; \(tempSeen) left a temp file; "
                  + "\(expected.count - 3) of \(rounds) payments recorded; \(listRuns) vault list runs")
            #expect(before + inside + afterRename + completed == rounds)
            #expect(inside >= 10, "too few kills landed inside the save (\(inside))")
        }
    }

    // MARK: full disk and read-only directory

    /// Mounts a small tmpfs at `mountPoint` (or, if tmpfs is refused, a loop-mounted ext4 image).
    /// Fails the test with the exact errors when neither works: this test must never be skipped silently.
    static func mountSmallFileSystem(_ mountPoint: String, scratch: String) throws -> String {
        let tmpfs = try runTool("mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mountPoint])
        if tmpfs.status == 0 { return "tmpfs" }
        let image = scratch + "/disk.img"
        let fd = open(image, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0 && ftruncate(fd, 8 << 20) == 0)
        close(fd)
        let mkfs = try runTool("mkfs.ext4", ["-q", "-F", image])
        let loop = mkfs.status == 0 ? try runTool("mount", ["-o", "loop", image, mountPoint]) : mkfs
        try #require(loop.status == 0, "blocked: cannot mount a small file system. tmpfs: \(tmpfs.stderr) ext4 loop: \(loop.stderr)")
        return "ext4 (loop)"
    }

    /// A vault on a file system with no space left (less free than the vault's size): `vault pay`
    /// fails with 73, the vault and its backup are byte-identical, no temp file is left; once space
    /// is freed the same command succeeds.
    @Test func fullDiskPayFailsWith73AndChangesNothing() throws {
        try withTempDirectory { root in
            let mnt = root + "/mnt"
            try #require(mkdir(mnt, 0o700) == 0)
            let kind = try Self.mountSmallFileSystem(mnt, scratch: root)
            defer { unmount(mnt) }
            let v = try PayVault(root: root, dir: mnt + "/v")
            try v.create(payments: ["1.00"])
            let vaultBytes = try readBytes(v.path), backupBytes = try readBytes(v.backup)
            let listing = listDirectory(v.dir)

            // Fill the file system: big writes, then single bytes, until ENOSPC.
            let filler = mnt + "/filler"
            let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            try #require(fd >= 0)
            var written = 0
            var lastError: Int32 = 0
            for size in [65536, 4096, 512, 1] {
                let chunk = [UInt8](repeating: 0x5A, count: size)
                while true {
                    let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, size) }
                    if n < 0 { lastError = errno; if lastError == EINTR { continue }; break }
                    written += n
                }
            }
            fsync(fd)
            close(fd)
            #expect(lastError == ENOSPC, "filling stopped with \(String(cString: strerror(lastError)))")
            var vfs = statvfs()
            try #require(statvfs(mnt, &vfs) == 0)
            let free = Int(vfs.f_bavail) * Int(vfs.f_bsize)
            #expect(free < vaultBytes.count, "\(free) bytes still free, the vault is \(vaultBytes.count)")

            let o = try vault(v.args(["pay", PayVault.debt, "2.00"]))
            #expect(o.status == 73, "\(o)")
            #expect(o.stderr.hasPrefix("Error:") && o.stderr.contains("No space left on device"), "\(o)")
            #expect(try readBytes(v.path) == vaultBytes, "the vault changed")
            #expect(try readBytes(v.backup) == backupBytes, "the backup changed")
            #expect(listDirectory(v.dir) == listing, "files left: \(listDirectory(v.dir))")
            // Reading still works on a full disk.
            let list = try vault(v.args(["list", "--json"]))
            #expect(list.status == 0 && list.stdout.contains("\"total_paid\": \"1.00\""), "\(list)")

            // A new vault on the full disk: 73, no vault and no temp file (the lock file may stay, as after any command).
            let other = mnt + "/new"
            let initOutcome = try vault(["init", "--kdf", "interactive", "--vault", other + "/vault.dv", "--passphrase-file", v.passphraseFile])
            #expect(initOutcome.status == 73 && initOutcome.stderr.contains("No space left on device"), "\(initOutcome)")
            #expect(listDirectory(other).isSubset(of: ["vault.dv.lock"]), "init left \(listDirectory(other))")

            unlink(filler)
            try v.ok(["pay", PayVault.debt, "2.00"])
            #expect(listDirectory(v.dir) == PayVault.files)
            print("full disk: \(kind), filler \(written) bytes, \(free) bytes free, vault \(vaultBytes.count) bytes: exit \(o.status.map(String.init) ?? "-")")
        }
    }

    /// A vault in a read-only directory (a read-only bind mount: chmod does not stop root):
    /// `vault pay` fails with 73 and changes nothing; reading still works.
    @Test func readOnlyDirectoryPayFailsWith73() throws {
        try withTempDirectory { root in
            let v = try PayVault(root: root)
            try v.create(payments: ["1.00"])
            let ro = root + "/ro"
            try #require(mkdir(ro, 0o700) == 0)
            let bind = try runTool("mount", ["--bind", v.dir, ro])
            try #require(bind.status == 0, "blocked: mount --bind: \(bind.stderr)")
            defer { unmount(ro) }
            let remount = try runTool("mount", ["-o", "remount,ro,bind", ro])
            try #require(remount.status == 0, "blocked: remount read-only: \(remount.stderr)")
            let probe = open(ro + "/probe", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            #expect(probe < 0 && errno == EROFS, "the bind mount is writable")
            if probe >= 0 { close(probe) }

            let vaultBytes = try readBytes(v.path), backupBytes = try readBytes(v.backup)
            let args = ["pay", PayVault.debt, "2.00", "--vault", ro + "/vault.dv", "--passphrase-file", v.passphraseFile,
                        "--today", PayVault.today]
            let o = try vault(args)
            #expect(o.status == 73, "\(o)")
            #expect(o.stderr.hasPrefix("Error:") && o.stderr.contains("Read-only file system"), "\(o)")
            // Without the lock file too (a vault copied to read-only media).
            unlink(v.lock)
            let noLock = try vault(args)
            #expect(noLock.status == 73, "\(noLock)")
            #expect(try readBytes(v.path) == vaultBytes && (try readBytes(v.backup)) == backupBytes)
            #expect(listDirectory(v.dir) == ["vault.dv", "vault.dv.bak"])
            let list = try vault(["list", "--json", "--vault", ro + "/vault.dv", "--passphrase-file", v.passphraseFile,
                                  "--today", PayVault.today])
            #expect(list.status == 0 && list.stdout.contains("\"total_paid\": \"1.00\""), "reading a read-only vault: \(list)")
        }
    }

    // MARK: concurrent writers

    /// `processes` lanes, each recording 50 payments one `vault pay` after another, all lanes at once
    /// (--wait 60): every payment is present exactly once at the end.
    @Test(arguments: [2, 4]) func concurrentPaymentsAreNeverLostOrDoubled(processes: Int) throws {
        try withTempDirectory { root in
            let v = try PayVault(root: root)
            try v.create(payments: [])
            let perLane = 50
            let binary = try Harness.vaultBinary()
            var running: [Child?] = Array(repeating: nil, count: processes)
            var done = Array(repeating: 0, count: processes)
            var failures: [String] = []
            var waited = 0.0
            let started = monotonicNow()
            func amount(_ lane: Int, _ i: Int) -> Int64 { Int64(1000 * (lane + 1) + i + 1) }
            while done.contains(where: { $0 < perLane }) || running.contains(where: { $0 != nil }) {
                var progressed = false
                for lane in 0..<processes {
                    if let child = running[lane] {
                        guard child.reap() || monotonicNow() - child.started > 120 else { continue }
                        let o = child.wait(timeout: 0)
                        if o.status != 0 { failures.append("lane \(lane): \(o)") }
                        waited = max(waited, o.seconds)
                        running[lane] = nil
                        done[lane] += 1
                        progressed = true
                    }
                    if running[lane] == nil && done[lane] < perLane {
                        running[lane] = try Harness.spawn(binary, v.args(["pay", PayVault.debt, decimal(amount(lane, done[lane])), "--wait", "60"]))
                        progressed = true
                    }
                }
                if !progressed { usleep(2_000) }
            }
            #expect(failures.isEmpty, "\(failures.count) failed runs, first: \(failures.first ?? "")")
            let key = try v.dataKey()
            let doc = try decodeDocument(try readBytes(v.path), key: key)
            let got = doc.payments.map { $0.amount.minorUnits }.sorted()
            let want = (0..<processes).flatMap { lane in (0..<perLane).map { amount(lane, $0) } }.sorted()
            #expect(got.count == want.count, "\(got.count) payments recorded, \(want.count) made")
            #expect(got == want, "lost: \(Set(want).subtracting(got).sorted()), doubled: \(got.count - Set(got).count)")
            #expect(Set(doc.payments.map(\.id)).count == doc.payments.count, "payment ids repeat")
            let list = try vault(v.args(["list", "--json"]))
            #expect(list.stdout.contains("\"total_paid\": \"\(decimal(want.reduce(0, +)))\""), "\(list)")
            #expect(listDirectory(v.dir) == PayVault.files)
            print("concurrency: \(processes) processes x \(perLane) payments = \(got.count) recorded (\(Set(got).count) distinct), "
                  + "\(failures.count) failed, longest run \(String(format: "%.2f", waited)) s, total \(String(format: "%.1f", monotonicNow() - started)) s")
        }
    }
}
