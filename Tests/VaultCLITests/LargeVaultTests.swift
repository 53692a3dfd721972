#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A vault large enough (above 256 KiB, interactive KDF) that `vault` checks its checksum on a second core
/// while the KDF runs, and derives its debts on two threads: the same answers, and damage still wins.
@Suite(.serialized) struct LargeVaultTests {
    static let today = "2026-12-01"

    /// Generates a vault of 60 debts and 12,000 payments with the package's data generator.
    func generate(_ dir: String) throws -> (vault: String, pass: String) {
        let pass = dir + "/pw", vault = dir + "/large.dv"
        try writeText(pass, "large vault passphrase\n")
        let tool = Harness.parent(of: try Harness.vaultBinary()) + "/vault-devtools"
        let made = try Harness.spawn(tool, ["generate", "--out", vault, "--passphrase-file", pass, "--debts", "60", "--payments", "12000",
                                            "--seed", "7", "--today", Self.today, "--kdf", "interactive"]).wait(timeout: 120)
        try #require(made.status == 0, "\(made)")
        try #require(try fileStat(vault).st_size > 256 * 1024, "the vault must be above the concurrent-checksum threshold")
        return (vault, pass)
    }

    func args(_ command: [String], _ v: (vault: String, pass: String)) -> [String] {
        command + ["--vault", v.vault, "--passphrase-file", v.pass, "--today", Self.today]
    }

    @Test func opensWithTheChecksumCheckedDuringTheKDF() throws {
        try withTempDirectory { dir in
            let v = try generate(dir)
            let timed = try Harness.vault(args(["list", "--timings"], v))
            #expect(timed.status == 0, "\(timed)")
            #expect(timed.stderr.contains("verify checksum during kdf"), "\(timed.stderr)")
            let stages = timed.stderr.split(separator: "\n").map { $0.trimmingPrefix(" ") }
            #expect(!stages.contains { $0.hasPrefix("verify checksum") && !$0.hasPrefix("verify checksum during kdf") },
                    "the checksum was checked before the KDF: \(timed.stderr)")
            // The same listing as with the checksum checked first (a passphrase command is checked first).
            let viaFile = try Harness.vault(args(["list", "--json"], v))
            let viaCommand = try Harness.vault(["list", "--json", "--vault", v.vault, "--passphrase-command", "cat " + v.pass, "--today", Self.today])
            #expect(viaFile.status == 0 && viaCommand.status == 0)
            #expect(viaFile.stdout == viaCommand.stdout && viaFile.stdout.contains("\"id\""))
            // A descriptor that is a pipe asks no one either; a FIFO named as the passphrase file may be a
            // person typing, so there the checksum is checked first.
            let viaFD = try Harness.vault(["list", "--timings", "--vault", v.vault, "--passphrase-fd", "3", "--today", Self.today],
                                          fds: [3: try readBytes(v.pass)])
            #expect(viaFD.status == 0 && viaFD.stderr.contains("verify checksum during kdf"), "\(viaFD)")
            let fifo = dir + "/pw.fifo"
            try #require(mkfifo(fifo, 0o600) == 0)
            let writer = try Harness.spawn("/bin/sh", ["-c", "cat '\(v.pass)' > '\(fifo)'"])
            let viaFIFO = try Harness.vault(["list", "--timings", "--vault", v.vault, "--passphrase-file", fifo, "--today", Self.today])
            _ = writer.wait()
            #expect(viaFIFO.status == 0 && !viaFIFO.stderr.contains("during kdf") && viaFIFO.stderr.contains("verify checksum"), "\(viaFIFO)")
            let report = try Harness.vault(args(["export", "--redacted", "--format", "json"], v))
            #expect(report.status == 0 && report.stdout.contains("\"debts\""), "\(report)")
            let pay = try Harness.vault(args(["pay", "card2", "0.01", "--allow-overpay"], v))
            #expect(pay.status == 0, "\(pay)")
        }
    }

    /// A full export of 60 debts imports as one change that reads back, lists the same and undoes
    /// (an undo entry was once limited to 16 operations: importing 15 or more debts wrote an unreadable vault).
    @Test func importOfSixtyDebtsReadsBackAndUndoes() throws {
        try withTempDirectory { dir in
            let v = try generate(dir)
            let json = dir + "/full.json"
            let exported = try Harness.vault(args(["export", "--full", "--format", "json", "--out", json], v))
            #expect(exported.status == 0, "\(exported)")
            let copy = (vault: dir + "/copy.dv", pass: v.pass)
            let made = try Harness.vault(["init", "--kdf", "interactive", "--vault", copy.vault, "--passphrase-file", v.pass])
            try #require(made.status == 0, "\(made)")
            let imported = try Harness.vault(["import", "--from-json", json, "--vault", copy.vault, "--passphrase-file", v.pass])
            #expect(imported.status == 0 && imported.stdout.contains("imported 60 debts and 12000 payments"), "\(imported)")
            let original = try Harness.vault(args(["list", "--json", "--all"], v))
            let restored = try Harness.vault(args(["list", "--json", "--all"], copy))
            #expect(restored.status == 0 && restored.stdout == original.stdout, "\(restored.stderr)")
            let undone = try Harness.vault(["undo", "--vault", copy.vault, "--passphrase-file", v.pass])
            #expect(undone.status == 0, "\(undone)")
            let empty = try Harness.vault(args(["list", "--json", "--all"], copy))
            #expect(empty.status == 0 && empty.stdout.trimmingPrefix(" ").hasPrefix("[]"), "\(empty)")
            let redone = try Harness.vault(["redo", "--vault", copy.vault, "--passphrase-file", v.pass])
            #expect(redone.status == 0, "\(redone)")
            #expect(try Harness.vault(args(["list", "--json", "--all"], copy)).stdout == original.stdout)
        }
    }

    @Test func damageAnywhereIsStillReportedAsDamage() throws {
        try withTempDirectory { dir in
            let v = try generate(dir)
            let good = try readBytes(v.vault)
            // Payload start, middle and end, the key slot, the salt, the nonces and the checksum.
            let positions = [145, 146, good.count / 3, good.count / 2, good.count - 33, good.count - 32, good.count - 1, 23, 38, 39, 63, 110, 113, 136]
            for p in positions {
                var b = good
                b[p] ^= 0x20
                let file = dir + "/flipped.dv"
                try writeBytes(file, b)
                let o = try Harness.vault(["list", "--vault", file, "--passphrase-file", v.pass, "--today", Self.today])
                #expect(o.status == 65 && o.stdout.isEmpty && o.stderr.contains("damaged") && !o.stderr.contains("wrong passphrase"),
                        "byte \(p): \(o)")
                #expect(try readBytes(file) == b, "byte \(p): the file changed")
            }
            // A wrong passphrase on the intact vault is still a wrong passphrase.
            try writeText(dir + "/wrong", "not the passphrase\n")
            let wrong = try Harness.vault(["list", "--vault", v.vault, "--passphrase-file", dir + "/wrong", "--today", Self.today])
            #expect(wrong.status == 77, "\(wrong)")
            // Damage is reported even when the passphrase file cannot be read.
            var b = good
            b[good.count / 2] ^= 0x01
            try writeBytes(dir + "/flipped.dv", b)
            let missing = try Harness.vault(["list", "--vault", dir + "/flipped.dv", "--passphrase-file", dir + "/absent", "--today", Self.today])
            #expect(missing.status == 65, "\(missing)")
        }
    }
}
