#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCrypto
import VaultStorage

/// Where a passphrase comes from. Never argv, never an environment variable.
enum PassphraseSource: Equatable {
    case file(String)
    case fd(Int32)
    case command(String)
    case prompt

    /// Picks the source from the parsed options; at most one may be given.
    static func from(_ args: ParsedArguments, file: String = "passphrase-file", fd: String = "passphrase-fd",
                     command: String? = "passphrase-command") throws(CLIError) -> PassphraseSource {
        var found: [PassphraseSource] = []
        if let p = args.value(file) { found.append(.file(p)) }
        if let n = args.value(fd) {
            guard let v = Int32(n), v >= 0 else { throw CLIError.usage("--\(fd) needs a file descriptor number, got '\(n)'") }
            found.append(.fd(v))
        }
        if let command, let c = args.value(command) { found.append(.command(c)) }
        guard found.count <= 1 else {
            throw CLIError.usage("give only one of --\(file), --\(fd)" + (command.map { " and --\($0)" } ?? ""))
        }
        return found.first ?? .prompt
    }
}

/// Reads passphrases into secure memory and turns them into bytes as docs/FORMAT.md says:
/// UTF-8, Unicode NFC, one trailing newline stripped when read from a file or descriptor.
enum PassphraseReader {
    static let maxLength = 4096

    static func read(_ source: PassphraseSource, prompt: String, confirm: Bool) throws -> SecureBytes {
        let raw: SecureBytes
        switch source {
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CLIError("cannot read passphrase file \(path): \(String(cString: strerror(errno)))", status: .usage) }
            defer { close(fd) }
            raw = try stripNewline(readAll(fd, what: "passphrase file \(path)"))
        case .fd(let n):
            raw = try stripNewline(readAll(n, what: "passphrase descriptor \(n)"))
        case .command(let command):
            raw = try stripNewline(runCommand(command))
        case .prompt:
            raw = try TerminalPrompt.ask(prompt)
            if confirm {
                let again = try TerminalPrompt.ask("confirm passphrase: ")
                guard raw.isEqual(to: again) else { throw CLIError("the two passphrases do not match", status: .usage) }
            }
        }
        return try normalize(raw)
    }

    /// Reads until EOF into secure memory.
    static func readAll(_ fd: Int32, what: String) throws -> SecureBytes {
        let buffer = try SecureBytes(count: maxLength + 1)
        var done = 0
        while done <= maxLength {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot read \(what): \(String(cString: strerror(errno)))", status: .usage)
            }
            if n == 0 { break }
            done += n
        }
        guard done <= maxLength else { throw CLIError("\(what) holds more than \(maxLength) bytes", status: .usage) }
        return try buffer.prefix(done)
    }

    static func stripNewline(_ bytes: SecureBytes) throws -> SecureBytes { try PassphraseBytes.strippingNewline(bytes) }

    static func normalize(_ bytes: SecureBytes) throws -> SecureBytes {
        do { return try PassphraseBytes.normalized(bytes) } catch let e as PassphraseError {
            switch e {
            case .empty: throw CLIError("the passphrase is empty", hint: "an empty passphrase protects nothing", status: .usage)
            case .notUTF8: throw CLIError("the passphrase is not valid UTF-8", status: .usage)
            }
        }
    }

    /// Runs `command` with /bin/sh and captures its standard output in secure memory.
    static func runCommand(_ command: String) throws -> SecureBytes {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CLIError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        // Neither end may leak into other children; posix_spawn's dup2 gives the command a plain fd 1.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw CLIError("cannot run --passphrase-command: \(String(cString: strerror(rc)))", status: .usage)
        }
        let output = try? readAll(fds[0], what: "--passphrase-command output")
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw CLIError("--passphrase-command failed (\(exited ? "exit status \(code)" : "killed by a signal"))", status: .usage)
        }
        guard let output else { throw CLIError("--passphrase-command printed more than \(maxLength) bytes", status: .usage) }
        return output
    }

    /// A warning for short or common passphrases, or nil.
    /// Works on the secure bytes in place: no String copy of the passphrase is made.
    static func weaknessWarning(_ passphrase: SecureBytes) -> String? {
        let (characters, common): (Int, Bool) = passphrase.withUnsafeBytes { bytes in
            // Code points: every byte that is not a UTF-8 continuation byte starts one.
            let count = bytes.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
            let listed = commonPassphrases.contains { entry in
                entry.utf8.count == bytes.count && zip(entry.utf8, bytes).allSatisfy { e, b in
                    e == ((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b)   // ASCII case-insensitive
                }
            }
            return (count, listed)
        }
        if common {
            return "warning: this passphrase is on lists of the most common passwords; anyone with the file can guess it quickly"
        }
        if characters < 12 {
            return "warning: this passphrase is short (\(characters) characters); four or more random words are much harder to guess"
        }
        return nil
    }

    static let commonPassphrases: Set<String> = [
        "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567", "dragon",
        "123123", "baseball", "abc123", "football", "monkey", "letmein", "696969", "shadow", "master", "666666",
        "qwertyuiop", "123321", "mustang", "1234567890", "michael", "654321", "superman", "1qaz2wsx", "7777777",
        "121212", "000000", "qazwsx", "123qwe", "killer", "trustno1", "jordan", "jennifer", "zxcvbnm", "asdfgh",
        "hunter", "buster", "soccer", "harley", "batman", "andrew", "tigger", "sunshine", "iloveyou", "2000",
        "charlie", "robert", "thomas", "hockey", "ranger", "daniel", "starwars", "klaster", "112233", "george",
        "computer", "michelle", "jessica", "pepper", "1111", "zxcvbn", "555555", "11111111", "131313", "freedom",
        "777777", "pass", "maggie", "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda",
        "summer", "love", "ashley", "nicole", "chelsea", "biteme", "matthew", "access", "yankees", "987654321",
        "dallas", "austin", "thunder", "taylor", "matrix", "password1", "password123", "welcome", "admin",
        "correct horse battery staple", "woaini", "woaini1314", "5201314", "88888888", "a123456", "qq123456",
        "passw0rd", "changeme", "secret", "debt-vault", "vault",
    ]
}

/// Prompts on /dev/tty with echo off, restoring the terminal on every exit path and on SIGINT.
enum TerminalPrompt {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var savedFD: Int32 = -1

    /// Whether a controlling terminal can be opened.
    static var isAvailable: Bool {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        if fd < 0 { return false }
        close(fd)
        return true
    }

    static func ask(_ prompt: String) throws -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError("no passphrase source and no terminal to ask on",
                           hint: "use --passphrase-file PATH, --passphrase-fd N or --passphrase-command CMD", status: .usage)
        }
        defer { close(fd) }
        _ = prompt.withCString { Glibc.write(fd, $0, strlen($0)) }
        var old = termios()
        let haveTermios = tcgetattr(fd, &old) == 0
        // Every signal that ends the process at the prompt restores echo first: Ctrl-C, Ctrl-\ (which the
        // Swift runtime's backtracer would otherwise catch), SIGTERM and SIGHUP. Previous handlers come back after.
        var previous: [(Int32, __sighandler_t?)] = []
        if haveTermios {
            saved = old
            savedFD = fd
            for sig in [SIGINT, SIGQUIT, SIGTERM, SIGHUP] {
                previous.append((sig, signal(sig) { sig in
                    if TerminalPrompt.savedFD >= 0 { tcsetattr(TerminalPrompt.savedFD, TCSAFLUSH, &TerminalPrompt.saved) }
                    _ = Glibc.write(2, "\n", 1)
                    signal(sig, SIG_DFL)
                    raise(sig)
                }))
            }
            var quiet = old
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTermios {
                tcsetattr(fd, TCSAFLUSH, &old)
                savedFD = -1
                for (sig, handler) in previous { signal(sig, handler) }
            }
            _ = Glibc.write(fd, "\n", 1)
        }
        let buffer = try SecureBytes(count: PassphraseReader.maxLength)
        var count = 0
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == 0x0A || byte == 0x0D { break }
            guard count < buffer.count else { break }
            buffer.withUnsafeMutableBytes { $0[count] = byte }
            count += 1
        }
        byte = 0
        return try buffer.prefix(count)
    }

    /// Writes a line to the terminal (prompts' feedback), if there is one.
    static func say(_ text: String) {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = (text + "\n").withCString { Glibc.write(fd, $0, strlen($0)) }
    }

    /// Asks a visible question on the terminal; returns nil without one.
    static func askVisible(_ prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = prompt.withCString { Glibc.write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { if bytes.isEmpty { return nil } else { break } }
            if byte == 0x0A || byte == 0x0D { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
