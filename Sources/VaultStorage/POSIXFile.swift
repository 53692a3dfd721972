#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin throwing wrappers over the POSIX calls storage needs. Every failure keeps its errno text.
enum POSIX {
    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Reads a whole file. Returns nil when it does not exist.
    static func readFile(_ path: String) throws(StorageError) -> (bytes: [UInt8], stat: stat)? {
        try readStart(of: path, atMost: nil)
    }

    /// Reads at most `count` bytes from the start of a file. Returns nil when it does not exist.
    static func readPrefix(_ path: String, count: Int) throws(StorageError) -> (bytes: [UInt8], stat: stat)? {
        try readStart(of: path, atMost: count)
    }

    /// Reads a file from its start, up to `limit` bytes or (nil) to its end, with its `fstat`.
    private static func readStart(of path: String, atMost limit: Int?) throws(StorageError) -> (bytes: [UInt8], stat: stat)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cannotRead(path: path, reason: errnoText())
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        // A whole file gets one byte more than its size, so that reading it needs no reallocation (the
        // loop still grows the buffer if the file grew after fstat).
        var bytes = [UInt8](repeating: 0, count: limit ?? Int(st.st_size) + 1)
        var done = 0
        while limit.map({ done < $0 }) ?? true {
            if done == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: errnoText())
            }
            if n == 0 { break }
            done += n
        }
        bytes.removeSubrange(done...)
        return (bytes, st)
    }

    /// Writes `bytes` to a new 0600 file (O_CREAT|O_EXCL) and fsyncs it. Removes it on failure.
    static func createAndWrite(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: errnoText()) }
        var failure: String?
        if fchmod(fd, 0o600) != 0 { failure = errnoText() }
        var done = 0
        while failure == nil && done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = errnoText()
            } else {
                done += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = errnoText() }
        if close(fd) != 0 && failure == nil { failure = errnoText() }
        if let failure {
            unlink(path)
            throw .cannotWrite(path: path, reason: failure)
        }
    }

    static func fsyncDirectory(_ dir: String) throws(StorageError) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotWrite(path: dir, reason: errnoText()) }
        defer { close(fd) }
        // Some file systems refuse fsync on directories (EINVAL); the rename is still durable there.
        if fsync(fd) != 0 && errno != EINVAL { throw .cannotWrite(path: dir, reason: errnoText()) }
    }

    static func rename(_ from: String, _ to: String) throws(StorageError) {
        if Glibc.rename(from, to) != 0 { throw .cannotWrite(path: to, reason: errnoText()) }
    }

    /// Creates `dir` and missing parents with mode 0700.
    static func makeDirectories(_ dir: String) throws(StorageError) {
        if dir.isEmpty || dir == "/" || dir == "." { return }
        var st = stat()
        if stat(dir, &st) == 0 { return }
        try makeDirectories(parent(of: dir))
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw .cannotWrite(path: dir, reason: errnoText()) }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let p = String(path[..<slash])
        return p.isEmpty ? "/" : p
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func listDirectory(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// An exclusive advisory lock (flock) on the vault's lock file. The kernel drops it when the
/// holding process exits, however it exits, so a dead process never leaves a lock behind.
final class VaultLock {
    private let fd: Int32

    /// Waits up to `waitSeconds` for the lock on `path`, creating the file (0600) if needed.
    init(path: String, waitSeconds: Double) throws(StorageError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: POSIX.errnoText()) }
        let start = POSIX.monotonicSeconds()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                close(fd)
                throw .cannotWrite(path: path, reason: POSIX.errnoText(code))
            }
            let waited = POSIX.monotonicSeconds() - start
            if waited >= waitSeconds {
                close(fd)
                throw .busy(path: path, waitedSeconds: waited)
            }
            usleep(20_000)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
