#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultStorage

enum InfoCommand: Command {
    static let spec = CommandSpec(
        name: "info", abstract: "show the vault's format and key-derivation settings (no passphrase needed)",
        usage: "vault info [--vault PATH] [--json]",
        discussion: "Reads the header alone, so it answers at once for any vault size; --verify also reads the whole file and checks its integrity checksum. Decrypts nothing ('vault check' does). Passphrase options are accepted (so scripts can pass the same options to every command) and ignored.",
        options: [OptionSpec("verify", "also read the whole file and check its integrity checksum (no passphrase needed)")],
        examples: ["vault info", "vault info --json"],
        takesJSON: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let info = try inv.store().info(verify: inv.args.has("verify"))
        let saved = timestamp(info.lastSaved)
        if inv.json {
            inv.out.line(JSON.object([
                ("path", .string(info.path)), ("format_version", .int(Int64(info.version))),
                ("payload_codec", .int(Int64(info.codec))), ("kdf", kdfJSON(info.kdf)),
                ("file_size", .int(Int64(info.fileSize))), ("payload_size", .int(Int64(info.payloadSize))),
                ("last_saved", .string(saved)), ("backup", .bool(info.hasBackup)), ("integrity", .string(info.checksumVerified ? "ok" : "not-checked")),
            ]).render())
        } else {
            inv.out.write(pad("vault:", info.path, width: 17))
            inv.out.write(pad("format:", "version \(info.version), payload codec \(info.codec) (binary v1)", width: 17))
            inv.out.write(pad("key derivation:", "\(info.kdf)" + (info.kdf.presetName.map { " (\($0))" } ?? ""), width: 17))
            inv.out.write(pad("encryption:", "XChaCha20-Poly1305, 256-bit data key in one key slot", width: 17))
            inv.out.write(pad("file size:", "\(info.fileSize) bytes", width: 17))
            inv.out.write(pad("last saved:", saved, width: 17))
            inv.out.write(pad("backup:", info.hasBackup ? "\(info.path).bak" : "none yet", width: 17))
            inv.out.write(pad("integrity:", info.checksumVerified ? "checksum ok (run 'vault check' to verify the contents)"
                                  : "header ok; checksum not read (--verify checks it, 'vault check' checks everything)", width: 17))
        }
        return .success
    }

    static func timestamp(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec))Z"
    }
}
