import DebtModel
import VaultCrypto
import VaultStorage

/// Exit statuses of `vault`, documented in README.md and `vault --help`.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    /// `vault remind --quiet` found something that needs attention.
    case attention = 10
    case usage = 64
    case damaged = 65
    case noVault = 66
    case cannotWrite = 73
    case busy = 75
    case wrongPassphrase = 77
}

/// An error the command line reports: a message, an optional hint and an exit status.
struct CLIError: Error {
    var message: String
    var hint: String?
    var status: ExitStatus
    /// For usage errors, the command whose help to point at.
    var command: String?

    init(_ message: String, hint: String? = nil, status: ExitStatus = .failure) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    static func usage(_ message: String, hint: String? = nil, command: String? = nil) -> CLIError {
        var e = CLIError(message, hint: hint, status: .usage)
        e.command = command
        return e
    }
}

extension CLIError {
    /// Translates any error from the layers below into what the user sees.
    init(from error: any Error, vaultPath: String) {
        switch error {
        case let e as CLIError:
            self = e
        case let e as VaultFormatError:
            switch e {
            case .wrongPassphrase:
                self.init(e.message, hint: "the file is intact; check the passphrase source (a file's trailing newline is stripped)", status: .wrongPassphrase)
            case .kdfBelowFloor, .kdfAboveCeiling, .unsupportedVersion, .unknownKDF, .unknownCodec:
                self.init(e.message, hint: "this file was not written by this version of vault", status: .damaged)
            default:
                self.init(e.message, hint: "the backup generation is \(vaultPath).bak; inspect it with 'vault check --vault \(vaultPath).bak'", status: .damaged)
            }
        case let e as StorageError:
            switch e {
            case .noVault:
                self.init(e.message, hint: "create one with 'vault init', or pass --vault PATH", status: .noVault)
            case .alreadyExists:
                self.init(e.message, hint: "use another --vault PATH, or move the existing file away first", status: .cannotWrite)
            case .cannotRead:
                self.init(e.message, status: .noVault)
            case .cannotWrite:
                self.init(e.message, hint: "check free space and permissions of the vault's directory", status: .cannotWrite)
            case .busy:
                self.init(e.message, hint: "wait for it to finish, or pass --wait SECONDS", status: .busy)
            case .changedOnDisk:
                self.init(e.message, hint: "another program changed the vault; run the command again", status: .busy)
            }
        case let e as CryptoError:
            switch e {
            case .keyDerivationFailed:
                self.init(e.description, hint: "free some memory, or use a vault created with --kdf interactive", status: .failure)
            default:
                self.init(e.description, status: .failure)
            }
        case let e as FieldError:
            self.init(e.description, hint: "see 'vault help' for the accepted formats", status: .usage)
        case let e as VaultChangeError:
            switch e {
            case .invalid(let f):
                self.init(f.description, status: .usage)
            case .unknownDebt:
                self.init(e.description, hint: "'vault list --all' shows every id", status: .usage)
            case .nothingToUndo, .nothingToRedo:
                self.init(e.description, status: .failure)
            default:
                self.init(e.description, status: .usage)
            }
        case let e as UndecodablePayload:
            self.init("vault is damaged: \(e.message)", hint: "the backup generation is \(vaultPath).bak", status: .damaged)
        default:
            self.init("\(error)", status: .failure)
        }
    }
}

/// A payload that decrypted but could not be decoded.
struct UndecodablePayload: Error {
    var message: String
}
