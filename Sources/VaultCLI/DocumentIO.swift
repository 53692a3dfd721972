import DebtModel
import VaultCrypto
import VaultStorage

/// The bridge between the vault's decrypted payload and the domain model.
enum DocumentIO {
    /// The encoded payload of a new, empty vault.
    static func emptyPayload(_ inv: Invocation) -> [UInt8] { VaultDocument().encode() }

    /// Decodes a decrypted payload; a payload that does not decode is damage (65).
    static func decode(_ payload: SecureBytes, timings: StageTimings? = nil) throws -> VaultDocument {
        let t0 = timings?.elapsed ?? 0
        defer { timings?.add("decode", (timings?.elapsed ?? 0) - t0) }
        do {
            return try payload.withUnsafeBytes { (raw) throws(PayloadError) -> VaultDocument in try VaultDocument(decoding: raw) }
        } catch {
            throw UndecodablePayload(message: "the decrypted payload does not decode (\(error))")
        }
    }

    /// A one-line description of a payload's contents, for `vault check`.
    static func summary(_ payload: SecureBytes) throws -> String {
        let doc = try decode(payload)
        let open = doc.debts.filter { $0.closure == nil }.count
        return "\(doc.debts.count) debts (\(open) open), \(doc.payments.count) payments, \(doc.undoHistory.count) undoable changes"
    }
}

extension Invocation {
    /// Unlocks the vault and decodes the document (one KDF run, no lock).
    func loadDocument() throws -> (VaultStore, VaultSession, VaultDocument) {
        let (store, session) = try unlock()
        return (store, session, try DocumentIO.decode(session.payload, timings: timings))
    }

    /// Unlocks, then applies `change` to the latest document under the lock and saves once.
    /// `change` returns what to tell the user, or nil to save nothing.
    @discardableResult
    func changeDocument<R>(unlocked: (VaultStore, VaultSession)? = nil, _ change: (inout VaultDocument) throws -> R?) throws -> (R, VaultDocument)? {
        let (store, session) = try unlocked ?? unlock()
        var final: VaultDocument?
        let result: R? = try store.modify(session) { payload in
            var doc = try DocumentIO.decode(payload, timings: timings)
            guard let r = try change(&doc) else { return nil }
            final = doc
            let t0 = timings?.elapsed ?? 0
            let encoded = doc.encode()
            let t1 = timings?.elapsed ?? 0
            timings?.add("encode", t1 - t0)
            // Never save what cannot be read back: the new payload must decode to the same document.
            let readBack = encoded.withUnsafeBytes { raw in try? VaultDocument(decoding: raw) }
            timings?.add("verify encoding", (timings?.elapsed ?? 0) - t1)
            guard readBack == doc else {
                throw CLIError("refusing to save: the changed vault would not read back as written; nothing was saved",
                               hint: "please report this as a bug (without the vault); the vault is unchanged")
            }
            return (encoded, r)
        }
        guard let result, let final else { return nil }
        return (result, final)
    }
}
