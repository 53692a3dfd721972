#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCrypto

/// Writes a plaintext export (`vault export --out FILE`) the way the vault itself is saved: a new 0600
/// file in the target's directory (O_CREAT|O_EXCL), written fully, fsync'd, renamed over the target, then
/// the directory fsync'd. A failure at any point leaves the previous target (or none), never half a file.
public enum ExportFile {
    /// Why an export file was not written.
    public enum Failure: Error, Equatable, Sendable {
        /// The target is (or resolves to, or is a hard link of) a protected file: the vault, its backup, its lock.
        case protectedTarget(path: String)
        /// The target exists and is not a regular file (a directory, a device, a socket...).
        case notARegularFile(path: String)
    }

    /// Reads a whole file the user names (an import source); nil when it does not exist or cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        (try? POSIX.readFile(path))??.bytes
    }

    /// Writes `bytes` to `path` atomically with mode 0600.
    /// - Parameter protected: files that must never be replaced (the vault, `<vault>.bak`, `<vault>.lock`,
    ///   a passphrase file). They are compared by resolved path and, when they exist, by device and inode.
    /// - Throws: ``Failure`` or ``StorageError/cannotWrite(path:reason:)``.
    public static func write(_ bytes: [UInt8], to path: String, protected: [String]) throws {
        try checkTarget(path, protected: protected)
        let directory = POSIX.parent(of: path)
        let suffix = Sodium.randomBytes(6).map { String($0, radix: 16) }.joined()
        let temp = directory + "/." + POSIX.fileName(of: path) + ".export-tmp-\(getpid())-" + suffix
        try POSIX.createAndWrite(temp, bytes)
        do {
            // Checked again just before the rename: the target may have changed while we wrote.
            try checkTarget(path, protected: protected)
            try POSIX.rename(temp, path)
        } catch {
            unlink(temp)
            throw error
        }
        try POSIX.fsyncDirectory(directory)
    }

    /// Refuses a target that is a protected file by any name, or an existing non-regular file.
    /// - Throws: ``Failure``.
    public static func checkTarget(_ path: String, protected: [String]) throws {
        let target = resolved(path)
        var targetStat = stat()
        let targetExists = lstat(path, &targetStat) == 0
        var followed = stat()
        let followedExists = stat(path, &followed) == 0
        for p in protected {
            if resolved(p) == target || p == path { throw Failure.protectedTarget(path: path) }
            var ps = stat()
            guard stat(p, &ps) == 0 else { continue }
            if targetExists && ps.st_dev == targetStat.st_dev && ps.st_ino == targetStat.st_ino { throw Failure.protectedTarget(path: path) }
            if followedExists && ps.st_dev == followed.st_dev && ps.st_ino == followed.st_ino { throw Failure.protectedTarget(path: path) }
        }
        if targetExists && (targetStat.st_mode & S_IFMT) != S_IFREG && (targetStat.st_mode & S_IFMT) != S_IFLNK {
            throw Failure.notARegularFile(path: path)
        }
        if followedExists && (followed.st_mode & S_IFMT) != S_IFREG { throw Failure.notARegularFile(path: path) }
    }

    /// The path with its directory resolved by realpath (the file itself may not exist yet), and the
    /// file resolved too when it is a symbolic link.
    static func resolved(_ path: String) -> String {
        if let full = realpath(path, nil) {
            defer { free(full) }
            return String(cString: full)
        }
        let dir = POSIX.parent(of: path)
        guard let d = realpath(dir, nil) else { return path }
        defer { free(d) }
        let base = String(cString: d)
        return (base == "/" ? "" : base) + "/" + POSIX.fileName(of: path)
    }
}

extension ExportFile.Failure {
    /// A one-line, lowercase message for the user.
    public var message: String {
        switch self {
        case .protectedTarget(let p): return "refusing to write the export to \(p): it is the vault, its backup or its lock file"
        case .notARegularFile(let p): return "refusing to write the export to \(p): it exists and is not a regular file"
        }
    }
}
