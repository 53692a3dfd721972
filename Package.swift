// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top (each depends only on the ones below it):
//   CSodium       C binding to libsodium (system library, pkg-config "libsodium")
//   Parallel      runs two pieces of work on two cores (POSIX threads); no other dependency
//   VaultCrypto   secure memory, Argon2id, XChaCha20-Poly1305, BLAKE2b, randomness
//   VaultStorage  vault file format v1, atomic saves, backup generation, locking
//   DebtModel     money, rates, dates, debts, payments; the payload codec
//   DebtEngine    in-memory engines: schedules, balances, status
//   VaultCLI      argument parsing, passphrase input, commands, help, exit codes
//   vault         the thin executable
let package = Package(
    name: "debt-vault",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vault", targets: ["vault"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(name: "VaultCrypto", dependencies: ["CSodium"]),
        .target(name: "Parallel"),
        .target(name: "VaultStorage", dependencies: ["VaultCrypto", "Parallel"]),
        .target(name: "DebtModel"),
        .target(name: "DebtEngine", dependencies: ["DebtModel", "Parallel"]),
        .target(name: "VaultCLI", dependencies: ["VaultCrypto", "VaultStorage", "DebtModel", "DebtEngine"]),
        // The Swift runtime is linked statically: it saves ~2 ms of dynamic loading on every command
        // (docs/performance.md), and the binary then needs only libc and libsodium at run time.
        .executableTarget(name: "vault", dependencies: ["VaultCLI"], linkerSettings: [.unsafeFlags(["-static-stdlib"])]),
        // Developer tools (benchmark data generator); not installed, not part of `vault --help`.
        .executableTarget(name: "vault-devtools", dependencies: ["VaultStorage", "VaultCrypto", "DebtModel"]),
        .testTarget(name: "VaultCryptoTests", dependencies: ["VaultCrypto"]),
        .testTarget(name: "VaultStorageTests", dependencies: ["VaultStorage", "VaultCrypto"], exclude: ["Fixtures"]),
        .testTarget(name: "DebtModelTests", dependencies: ["DebtModel"]),
        .testTarget(name: "DebtEngineTests", dependencies: ["DebtEngine", "DebtModel"]),
        .testTarget(name: "VaultCLITests", dependencies: ["VaultCLI", "VaultStorage", "VaultCrypto", "DebtModel"]),
    ],
    swiftLanguageModes: [.v6]
)
