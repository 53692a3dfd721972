#if canImport(Glibc)
import Glibc
#endif
import Testing

// Helpers that run the real, built `vault` executable as a child process.
//
// Every descriptor the harness opens is close-on-exec, so children spawned concurrently by other
// tests never inherit a pipe end or a lock. Children run in a new session (setsid), so they have
// no controlling terminal: a command that would prompt fails instead of waiting on /dev/tty.

/// How a child process ended and what it printed.
struct ProcessOutcome: Sendable, CustomStringConvertible {
    /// Exit status, when the child exited normally.
    var status: Int32?
    /// The terminating signal, when a signal ended it.
    var signal: Int32?
    var stdout: String
    var stderr: String
    /// Wall-clock run time.
    var seconds: Double
    /// Whether the harness killed it because it ran past the timeout.
    var timedOut: Bool

    /// Everything the child printed.
    var output: String { stdout + stderr }

    var description: String {
        "status=\(status.map(String.init) ?? "-") signal=\(signal.map(String.init) ?? "-") "
            + "seconds=\(seconds) timedOut=\(timedOut)\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A running (or finished) child process.
final class Child: @unchecked Sendable {
    let pid: pid_t
    let started: Double
    private let outFD: Int32
    private let errFD: Int32
    private(set) var outcome: ProcessOutcome?
    private var rawStatus: Int32 = 0

    fileprivate init(pid: pid_t, outFD: Int32, errFD: Int32, started: Double) {
        self.pid = pid
        self.outFD = outFD
        self.errFD = errFD
        self.started = started
    }

    deinit {
        if outcome == nil {
            Glibc.kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
        close(outFD)
        close(errFD)
    }

    /// Reaps the child if it has ended; returns whether it has.
    @discardableResult
    func reap(blocking: Bool = false, timedOut: Bool = false) -> Bool {
        if outcome != nil { return true }
        var status: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while rc < 0 && errno == EINTR
        guard rc == pid else { return false }
        let low = status & 0x7f
        let exited = low == 0
        outcome = ProcessOutcome(
            status: exited ? (status >> 8) & 0xff : nil,
            signal: exited ? nil : low,
            stdout: Harness.readAll(outFD), stderr: Harness.readAll(errFD),
            seconds: monotonicNow() - started, timedOut: timedOut)
        return true
    }

    var isRunning: Bool { !reap() }

    /// What the child has printed on standard output so far.
    var stdoutSoFar: String { outcome?.stdout ?? Harness.readAll(outFD) }

    /// Sends `signal` (SIGKILL by default) if the child is still running.
    func kill(_ signal: Int32 = SIGKILL) {
        if outcome == nil { Glibc.kill(pid, signal) }
    }

    /// Waits for the child to end. With `killAfter`, sends SIGKILL at that many seconds after the
    /// start; after `timeout` seconds it is killed and the outcome is marked `timedOut`.
    func wait(timeout: Double = 60, killAfter: Double? = nil) -> ProcessOutcome {
        var killed = false
        while !reap() {
            let elapsed = monotonicNow() - started
            if let k = killAfter, !killed, elapsed >= k {
                Glibc.kill(pid, SIGKILL)
                killed = true
            }
            if elapsed >= timeout {
                Glibc.kill(pid, SIGKILL)
                reap(blocking: true, timedOut: true)
                break
            }
            usleep(1_000)
        }
        return outcome!
    }
}

enum Harness {
    /// Directory of the running test bundle (`/proc/self/exe`).
    static let bundleDirectory: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return parent(of: path)
    }()

    /// The built `vault` binary next to the test bundle (or in `<scratch>/debug`), if present.
    static let locatedBinary: String? = {
        let candidates = [bundleDirectory + "/vault", parent(of: bundleDirectory) + "/debug/vault"]
        return candidates.first { access($0, X_OK) == 0 }
    }()

    /// The path of the `vault` binary; a test that needs it fails (never skips) when it is missing.
    static func vaultBinary() throws -> String {
        try #require(locatedBinary, "the vault binary is missing next to the test bundle in \(bundleDirectory); build with 'swift build --build-tests'")
    }

    /// A minimal environment: no secrets, HOME pointing at a harmless place.
    static func environment(home: String = "/nonexistent-home", extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8"]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `vault ARGS` to completion.
    static func vault(_ args: [String], stdin: [UInt8]? = nil, fds: [Int32: [UInt8]] = [:],
                      environment env: [String: String]? = nil, timeout: Double = 60,
                      killAfter: Double? = nil) throws -> ProcessOutcome {
        try spawn(try vaultBinary(), args, stdin: stdin, fds: fds, environment: env).wait(timeout: timeout, killAfter: killAfter)
    }

    /// Starts `vault ARGS` without waiting.
    static func startVault(_ args: [String], stdin: [UInt8]? = nil, fds: [Int32: [UInt8]] = [:],
                           environment env: [String: String]? = nil) throws -> Child {
        try spawn(try vaultBinary(), args, stdin: stdin, fds: fds, environment: env)
    }

    private static let pipe2Function: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "pipe2") else { return nil }
        return unsafeBitCast(sym, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()

    /// A close-on-exec pipe.
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2Function {
            let rc = fds.withUnsafeMutableBufferPointer { pipe2Function($0.baseAddress!, O_CLOEXEC) }
            try #require(rc == 0, "pipe2 failed: \(String(cString: strerror(errno)))")
        } else {
            try #require(pipe(&fds) == 0)
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// A pipe whose read end already holds `bytes` (and end of file).
    static func preloadedPipe(_ bytes: [UInt8]) throws -> Int32 {
        try #require(bytes.count < 60_000, "pipe contents must fit the pipe buffer")
        let (r, w) = try makePipe()
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(w, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            try #require(n > 0)
            done += n
        }
        close(w)
        // Keep the source descriptor away from the low numbers the child's dup2 actions target.
        let high = fcntl(r, F_DUPFD_CLOEXEC, 100)
        close(r)
        try #require(high >= 100)
        return high
    }

    /// An anonymous (already unlinked) close-on-exec file for capturing output.
    static func captureFile() throws -> Int32 {
        let path = "/tmp/vault-harness-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        unlink(path)
        let high = fcntl(fd, F_DUPFD_CLOEXEC, 100)
        close(fd)
        try #require(high >= 100)
        return high
    }

    /// Spawns `executable` (a path, or a name looked up in PATH when it has no slash) in a new session.
    static func spawn(_ executable: String, _ args: [String], stdin: [UInt8]? = nil, fds: [Int32: [UInt8]] = [:],
                      environment env: [String: String]? = nil) throws -> Child {
        let outFD = try captureFile()
        let errFD = try captureFile()
        var sources: [Int32] = []
        defer { sources.forEach { close($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            let r = try preloadedPipe(stdin)
            sources.append(r)
            posix_spawn_file_actions_adddup2(&actions, r, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        for (target, bytes) in fds.sorted(by: { $0.key < $1.key }) {
            let r = try preloadedPipe(bytes)
            sources.append(r)
            posix_spawn_file_actions_adddup2(&actions, r, target)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc >= 2.26), not imported into Swift
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | setsid))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envList = (env ?? environment()).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = envList.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let started = monotonicNow()
        let rc = executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attr, argv, envp)
            : posix_spawnp(&pid, executable, &actions, &attr, argv, envp)
        if rc != 0 {
            close(outFD)
            close(errFD)
        }
        try #require(rc == 0, "posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        return Child(pid: pid, outFD: outFD, errFD: errFD, started: started)
    }

    /// Runs up to `concurrency` children at a time; returns the outcomes in order.
    static func runAll(_ jobs: [() throws -> Child], concurrency: Int = 2, timeout: Double = 60) throws -> [ProcessOutcome] {
        var results = [ProcessOutcome?](repeating: nil, count: jobs.count)
        var running: [(Int, Child)] = []
        var next = 0
        while next < jobs.count || !running.isEmpty {
            while running.count < concurrency && next < jobs.count {
                running.append((next, try jobs[next]()))
                next += 1
            }
            var stillRunning: [(Int, Child)] = []
            for (i, child) in running {
                if child.reap() {
                    results[i] = child.outcome
                } else if monotonicNow() - child.started > timeout {
                    results[i] = child.wait(timeout: 0)
                } else {
                    stillRunning.append((i, child))
                }
            }
            if stillRunning.count == running.count { usleep(1_000) }
            running = stillRunning
        }
        return results.map { $0! }
    }

    // MARK: - Files

    /// Everything written to a capture file so far (pread: never moves the shared file offset).
    static func readAll(_ fd: Int32) -> String {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = pread(fd, &chunk, chunk.count, off_t(out.count))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let p = String(path[..<slash])
        return p.isEmpty ? "/" : p
    }
}

// MARK: - File-system helpers

/// Reads a whole file; fails the test when it cannot.
func readBytes(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    try #require(fd >= 0, "cannot open \(path): \(String(cString: strerror(errno)))")
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &chunk, chunk.count)
        if n < 0 && errno == EINTR { continue }
        try #require(n >= 0)
        if n == 0 { break }
        out += chunk[0..<n]
    }
    return out
}

/// Writes (replacing) a file with the given mode.
func writeBytes(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    try #require(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 && errno == EINTR { continue }
        try #require(n > 0)
        done += n
    }
}

func writeText(_ path: String, _ text: String) throws { try writeBytes(path, Array(text.utf8)) }

func fileStat(_ path: String) throws -> stat {
    var st = stat()
    try #require(lstat(path, &st) == 0, "cannot stat \(path): \(String(cString: strerror(errno)))")
    return st
}

func fileExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

/// Permission bits of a file.
func permissions(_ path: String) throws -> mode_t { try fileStat(path).st_mode & 0o7777 }

/// Names in a directory, without "." and "..".
func listDirectory(_ dir: String) -> Set<String> {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: Set<String> = []
    while let entry = readdir(d) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.insert(name) }
    }
    return names
}

/// Removes a directory tree (files and subdirectories).
func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        chmod(path, 0o700)
        for name in listDirectory(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Runs `body` with a new private temporary directory that is removed afterwards.
func withTempDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/vault-test-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let dir = try #require(made.map { String(cString: $0) }, "mkdtemp failed: \(String(cString: strerror(errno)))")
    defer { removeTree(dir) }
    return try body(dir)
}

/// An exclusive flock held by the test process on `path` (created if needed).
final class HeldLock {
    private var fd: Int32

    init(_ path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(fd >= 0, "cannot open \(path): \(String(cString: strerror(errno)))")
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0, "cannot lock \(path): \(String(cString: strerror(errno)))")
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
