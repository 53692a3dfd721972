#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs two pieces of work at once: one on a new POSIX thread, one on the calling thread. Storage checks
/// the whole-file checksum while Argon2id runs (libsodium's Argon2id uses one core), and the engines derive
/// the two halves of a large vault's debts at once. When no thread can be started, the work runs one
/// after the other on the calling thread, with the same results.
///
/// The two closures must not share mutable state: each may only read what both can see (arrays and
/// other values, which are safe to read from two threads) and return its own result.
public enum Concurrently {
    /// The closure a started thread runs; owned by the thread once started.
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Where the background thread leaves its result.
    private final class Slot<B> { var value: B?; init() {} }

    /// Runs `background` on another thread while `foreground` runs here, and returns both results once
    /// both are done (the background result is read only after the thread is joined).
    public static func run<B, F>(background: @escaping () -> B, foreground: () throws -> F) rethrows -> (B, F) {
        let slot = Slot<B>()
        let work = Unmanaged.passRetained(Work { slot.value = background() })
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let w = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
            w.body()
            return nil
        }, work.toOpaque()) == 0
        if !started {
            work.release()
            slot.value = background()
        }
        func join() { if started { pthread_join(thread, nil) } }
        let f: F
        do { f = try foreground() } catch { join(); throw error }
        join()
        return (slot.value!, f)
    }
}
