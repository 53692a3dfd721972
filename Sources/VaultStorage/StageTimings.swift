#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time per stage of one command (`vault --timings`): read, KDF, key slot, decrypt,
/// decode, compute, encode, encrypt, write+fsync. Only durations are kept, never data.
public final class StageTimings: @unchecked Sendable {
    /// Stages in the order they first ran, with their accumulated seconds.
    public private(set) var stages: [(name: String, seconds: Double)] = []
    /// Stages that ran on another thread at the same time as `stages` (not part of their sum).
    public private(set) var concurrentStages: [(name: String, seconds: Double)] = []
    private let start = StageTimings.now()

    /// Creates an empty set of timings; the total runs from now.
    public init() {}

    /// Runs `body` and adds its duration to stage `name`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let t0 = StageTimings.now()
        defer { add(name, StageTimings.now() - t0) }
        return try body()
    }

    /// Adds `seconds` to stage `name`.
    public func add(_ name: String, _ seconds: Double) {
        if let i = stages.firstIndex(where: { $0.name == name }) {
            stages[i].seconds += seconds
        } else {
            stages.append((name, seconds))
        }
    }

    /// Records a stage that ran on another thread alongside the others (call from the measuring thread).
    public func addConcurrent(_ name: String, _ seconds: Double) {
        concurrentStages.append((name, seconds))
    }

    /// Seconds since these timings were created.
    public var elapsed: Double { StageTimings.now() - start }

    /// A monotonic clock in seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension Optional where Wrapped == StageTimings {
    /// Measures when timings are on (`vault --timings`); otherwise just runs `body`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        switch self {
        case .some(let t): return try t.measure(name, body)
        case .none: return try body()
        }
    }
}
