#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCrypto
import VaultStorage

/// Everything a command may touch besides the vault: streams, environment, clock and test hooks.
/// The `vault` executable builds the real one; tests build their own.
public struct CLIContext: @unchecked Sendable {
    /// Standard output.
    public var stdout: OutputStream
    /// Standard error.
    public var stderr: OutputStream
    /// Environment variables (only XDG_DATA_HOME, HOME and NO_COLOR are read; never a secret).
    public var environment: [String: String]
    /// Today's civil date as (year, month, day) — injectable for tests; `--today` overrides it.
    public var today: () -> (year: Int, month: Int, day: Int)
    /// KDF acceptance rules. The executable always uses `.release`.
    public var kdfPolicy: KDFPolicy
    /// Library-only: parameters every new key slot uses instead of the `--kdf` preset (fast tests).
    public var kdfOverride: KDFParameters?
    /// Library-only: a passphrase to use instead of asking (the demo, in-process tests).
    public var passphraseOverride: SecureBytes?
    /// Whether interactive prompts may use /dev/tty.
    public var interactive: Bool
    /// Reads all of standard input (`--from-json -`).
    public var readStandardInput: () -> [UInt8] = { readAllStandardInput() }

    /// The real process context.
    public static func process() -> CLIContext {
        var env: [String: String] = [:]
        for key in ["XDG_DATA_HOME", "HOME", "NO_COLOR", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        return CLIContext(stdout: OutputStream(fd: 1), stderr: OutputStream(fd: 2), environment: env,
                          today: CLIContext.localToday, kdfPolicy: .release, kdfOverride: nil,
                          passphraseOverride: nil, interactive: true)
    }

    /// A context for tests: captured streams, a fixed date, fast KDF through the library API.
    public static func testing(today: (Int, Int, Int), environment: [String: String] = [:]) -> CLIContext {
        CLIContext(stdout: OutputStream(), stderr: OutputStream(), environment: environment,
                   today: { (today.0, today.1, today.2) }, kdfPolicy: .testing,
                   kdfOverride: KDFParameters(opslimit: 1, memlimit: 8192), passphraseOverride: nil, interactive: false)
    }

    static func localToday() -> (year: Int, month: Int, day: Int) {
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        return (Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday))
    }

    /// The default vault path: $XDG_DATA_HOME/debt-vault/vault.dv, else ~/.local/share/debt-vault/vault.dv.
    func defaultVaultPath() throws(CLIError) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/debt-vault/vault.dv" }
        guard let home = environment["HOME"], !home.isEmpty else {
            throw CLIError.usage("cannot find the default vault: HOME is not set", hint: "pass --vault PATH")
        }
        return home + "/.local/share/debt-vault/vault.dv"
    }
}

/// Reads file descriptor 0 to its end.
func readAllStandardInput() -> [UInt8] {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}
