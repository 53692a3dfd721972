#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// What a program did on a pseudo-terminal: its exit status, the prompt that never came (if any), the
/// terminal's ECHO flag before, at the last prompt and after, whether all of termios was restored, and
/// everything it printed.
struct TerminalOutcome: CustomStringConvertible {
    var exit: Int
    var missing: String?
    var echoBefore: Bool, echoAtPrompt: Bool?, echoAfter: Bool, restored: Bool
    var transcript: String
    var description: String {
        "exit \(exit), missing \(missing ?? "none"), echo before \(echoBefore) at prompt \(String(describing: echoAtPrompt)) "
            + "after \(echoAfter), termios restored \(restored)\ntranscript: \(transcript)"
    }
}

/// Runs a program on a new pseudo-terminal as its controlling terminal (a python3 script, generated
/// here), waits for each prompt in turn and types the answer, or sends "SIGTERM"/"SIGHUP"/"SIGQUIT".
/// Shared by the interactive `add`/`remove` tests and the passphrase-prompt tests.
enum TerminalDriver {
    static let script = #"""
    import fcntl, json, os, select, signal, sys, termios, time
    spec = json.load(open(sys.argv[1]))
    master, slave = os.openpty()
    def echo_on():
        return bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    initial = termios.tcgetattr(slave)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(master)
        os.close(slave)
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    transcript = b""
    def more(deadline):
        global transcript
        r, _, _ = select.select([master], [], [], max(0.0, deadline - time.time()))
        if not r:
            return False
        try:
            data = os.read(master, 4096)
        except OSError:
            return None
        if not data:
            return None
        transcript += data
        return True
    pos, missing, echo_at_prompt = 0, None, None
    for expect, send in spec["steps"]:
        e = expect.encode()
        deadline = time.time() + 20
        while transcript.find(e, pos) < 0:
            r = more(deadline)
            if r is None or (r is False and time.time() >= deadline):
                missing = expect
                break
        if missing is not None:
            break
        pos = transcript.find(e, pos) + len(e)
        if spec["secret_prompts"]:
            # A secret prompt is written just before echo is turned off: wait (up to 5 s) for that.
            deadline = time.time() + 5
            while echo_on() and time.time() < deadline:
                time.sleep(0.005)
        echo_at_prompt = echo_on()
        if send in ("SIGTERM", "SIGHUP", "SIGQUIT"):
            os.kill(pid, getattr(signal, send))
        else:
            os.write(master, send.encode())
    if missing is not None:
        os.kill(pid, signal.SIGKILL)
    # The slave stays open here, so the master never reads EOF: poll for the child's end instead.
    deadline = time.time() + 20
    status = None
    while status is None:
        more(min(deadline, time.time() + 0.02))
        done, st = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            status = st
        elif time.time() >= deadline:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    while more(time.time() + 0.05):
        pass
    final = termios.tcgetattr(slave)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "missing": missing,
                      "echo_before": bool(initial[3] & termios.ECHO), "echo_at_prompt": echo_at_prompt,
                      "echo_after": bool(final[3] & termios.ECHO), "restored": final == initial,
                      "transcript": transcript.decode("utf-8", "replace")}))
    """#

    /// Runs `argv` with `environment` on a pty; `steps` are (text to wait for, bytes to type or a signal
    /// name). With `secretPrompts`, each answer waits until the program has turned echo off.
    static func run(_ argv: [String], environment: [String: String], steps: [(String, String)], in directory: String,
                    secretPrompts: Bool = false) throws -> TerminalOutcome {
        let tag = UInt32.random(in: 0...UInt32.max)
        let scriptPath = directory + "/terminal-driver-\(tag).py", specPath = directory + "/terminal-spec-\(tag).json"
        defer { unlink(scriptPath); unlink(specPath) }
        try writeText(scriptPath, script)
        let spec: [String: Any] = ["argv": argv, "env": environment, "steps": steps.map { [$0.0, $0.1] }, "secret_prompts": secretPrompts]
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: specPath))
        let r = try Harness.spawn("/usr/bin/python3", [scriptPath, specPath]).wait(timeout: 90)
        try #require(r.status == 0, "the terminal driver failed: \(r)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
        return TerminalOutcome(exit: obj["exit"] as? Int ?? -1, missing: obj["missing"] as? String,
                               echoBefore: obj["echo_before"] as? Bool ?? false, echoAtPrompt: obj["echo_at_prompt"] as? Bool,
                               echoAfter: obj["echo_after"] as? Bool ?? false, restored: obj["restored"] as? Bool ?? false,
                               transcript: obj["transcript"] as? String ?? "")
    }
}
