import Foundation
import Testing
import VaultCrypto
@testable import VaultStorage

/// PassphraseBytes.normalized uses the standard library's NFC (so `vault` need not link Foundation);
/// these tests hold it to Foundation's `precomposedStringWithCanonicalMapping`, which it replaced.
@Suite struct NormalizationTests {
    static func normalized(_ text: String) throws -> [UInt8] {
        try PassphraseBytes.normalized(SecureBytes(copying: Array(text.utf8))).withUnsafeBytes { Array($0) }
    }

    /// Foundation's NFC, with one correction: on this toolchain it leaves a precomposed Hangul LV
    /// syllable followed by a trailing consonant jamo (e.g. U+AC00 U+11A8) uncomposed, where Unicode's
    /// composition algorithm (and Python's unicodedata, used by Scripts/pynacl-decrypt.py and
    /// Scripts/vault-format.py) gives the LVT syllable (U+AC01). See `hangulLVPlusTrailingConsonant`.
    static func foundationNFC(_ text: String) -> [UInt8] {
        composingHangulLVT(text.precomposedStringWithCanonicalMapping)
    }

    static func composingHangulLVT(_ text: String) -> [UInt8] {
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if (0x11A8...0x11C2).contains(u.value), let last = out.last,
               (0xAC00...0xD7A3).contains(last.value), (last.value - 0xAC00) % 28 == 0 {
                out.removeLast()
                out.append(Unicode.Scalar(last.value + (u.value - 0x11A7))!)
            } else {
                out.append(u)
            }
        }
        return Array(String(out).utf8)
    }

    static let corpus: [String] = [
        "e\u{301}", "\u{E9}", "caf\u{E9}", "cafe\u{301}", "re\u{301}sume\u{301} p\u{E2}te",
        "A\u{30A}", "\u{C5}", "\u{212B}", "\u{2126}", "\u{3A9}", "\u{212B}ngstr\u{F6}m \u{2126}",
        "o\u{308}\u{304}", "\u{1E69}", "s\u{323}\u{307}", "s\u{307}\u{323}", "q\u{307}\u{323}",
        // Hangul: conjoining jamo (L V, L V T) compose; precomposed syllables stay.
        "\u{1100}\u{1161}", "\u{1100}\u{1161}\u{11A8}", "\u{AC00}", "\u{AC01}", "\u{D55C}\u{AE00}",
        "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}", "\u{AC00}\u{11A8}",
        // Vietnamese: stacked marks in either order (canonical reordering by combining class).
        "a\u{323}\u{302}", "a\u{302}\u{323}", "\u{1EAD}", "Vi\u{EA}\u{323}t Nam", "Vie\u{323}\u{302}t", "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t",
        "\u{1EC7}", "u\u{31B}\u{303}", "\u{1EEF}",
        // Text NFC leaves alone.
        "密码 パスワード 비밀번호", "\u{4E2D}\u{6587}", "👨‍👩‍👧‍👦", "👍🏽", "🏳️‍🌈", "👩🏿‍💻",
        "नमस्ते", "क़", "\u{915}\u{93C}", "\u{958}", "हिन्दी",
        // Compatibility characters: NFKC would change them, NFC must not.
        "\u{FB01}", "\u{FB01}nance", "\u{FF21}", "\u{FF21}\u{FF22}", "\u{2460}", "x\u{00B2}", "\u{2163}",
        // Singletons and exclusions.
        "\u{340}", "\u{0344}", "\u{F900}", "\u{2000}", "\u{1D15E}",
        "mixed e\u{301} \u{212B} \u{1100}\u{1161} \u{FB01} 👍🏽 a\u{302}\u{323}",
    ]

    @Test func matchesFoundationOnTheCorpus() throws {
        for text in Self.corpus {
            let expected = Self.foundationNFC(text)
            let actual = try Self.normalized(text)
            #expect(actual == expected, "NFC of \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// Fails if normalization were skipped: decomposed input must change.
    @Test func decomposedInputIsComposed() throws {
        #expect(try Self.normalized("e\u{301}") == [0xC3, 0xA9])
        #expect(try Self.normalized("A\u{30A}") == Array("\u{C5}".utf8))
        #expect(try Self.normalized("\u{212B}") == Array("\u{C5}".utf8))
        #expect(try Self.normalized("\u{2126}") == Array("\u{3A9}".utf8))
        #expect(try Self.normalized("\u{1100}\u{1161}\u{11A8}") == Array("\u{AC01}".utf8))
        #expect(try Self.normalized("a\u{302}\u{323}") == Array("\u{1EAD}".utf8))
        #expect(try Self.normalized("a\u{323}\u{302}") == Array("\u{1EAD}".utf8))
        var changed = 0
        for text in Self.corpus where try Self.normalized(text) != Array(text.utf8) { changed += 1 }
        #expect(changed >= 15, "only \(changed) corpus entries changed under NFC")
        // Compatibility characters and ASCII are left alone.
        #expect(try Self.normalized("\u{FB01}") == Array("\u{FB01}".utf8))
        #expect(try Self.normalized("\u{FF21}") == Array("\u{FF21}".utf8))
        #expect(try Self.normalized("plain ascii") == Array("plain ascii".utf8))
    }

    /// Pseudo-random strings (fixed seed) over pools of bases, combining marks, jamo and emoji parts.
    @Test func matchesFoundationOnGeneratedStrings() throws {
        let pools: [[UInt32]] = [
            [0x61, 0x65, 0x6F, 0x75, 0x41, 0x4F, 0x73, 0x71, 0x20, 0xE9, 0xC5, 0xF6, 0x1EAD, 0x1EC7],  // Latin bases
            [0x300, 0x301, 0x302, 0x303, 0x304, 0x307, 0x308, 0x30A, 0x31B, 0x323, 0x327, 0x340, 0x344, 0x345],  // marks
            [0x1100, 0x1112, 0x1161, 0x1173, 0x11A8, 0x11AB, 0x11AF, 0xAC00, 0xD55C],  // Hangul
            [0x212B, 0x2126, 0xFB01, 0xFF21, 0x2460, 0xF900, 0x2000, 0x1D15E],  // singletons, compatibility
            [0x1F44D, 0x1F3FD, 0x200D, 0x1F469, 0x1F4BB, 0xFE0F, 0x4E2D, 0x6587, 0x30D1],  // emoji, CJK
            [0x915, 0x93C, 0x94D, 0x938, 0x924, 0x947, 0x958, 0x928],  // Devanagari
        ]
        var state: UInt64 = 0x5EED_1234_ABCD_0001
        func next(_ bound: Int) -> Int {  // xorshift64*
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
        var changed = 0
        for _ in 0..<400 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(1 + next(12)) {
                let pool = pools[next(pools.count)]
                scalars.append(Unicode.Scalar(pool[next(pool.count)])!)
            }
            let text = String(scalars)
            guard text.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { continue }
            let actual = try Self.normalized(text)
            #expect(actual == Self.foundationNFC(text), "NFC of \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if actual != Array(text.utf8) { changed += 1 }
        }
        #expect(changed > 50, "the generator should produce many strings that NFC changes (\(changed))")
    }

    /// Where the standard library and Foundation differ, the standard library follows Unicode (the
    /// expected bytes are Python's unicodedata.normalize("NFC", ...)); Foundation does not compose these.
    @Test func hangulLVPlusTrailingConsonant() throws {
        #expect(try Self.normalized("\u{AC00}\u{11A8}") == Array("\u{AC01}".utf8))
        #expect(try Self.normalized("\u{D558}\u{11AB}") == Array("\u{D55C}".utf8))
        #expect(try Self.normalized("q\u{2002}\u{AC00}\u{11A8}") == Array("q\u{2002}\u{AC01}".utf8))
        // An LVT syllable does not take another trailing consonant; an L+V+T jamo sequence composes.
        #expect(try Self.normalized("\u{AC01}\u{11A8}") == Array("\u{AC01}\u{11A8}".utf8))
        #expect(try Self.normalized("\u{1100}\u{1161}\u{11A8}") == Array("\u{AC01}".utf8))
    }

    @Test func refusesInvalidUTF8AndEmptyInput() throws {
        #expect(throws: PassphraseError.notUTF8) { try PassphraseBytes.normalized(SecureBytes(copying: [0x61, 0xC3])) }
        #expect(throws: PassphraseError.notUTF8) { try PassphraseBytes.normalized(SecureBytes(copying: [0xED, 0xA0, 0x80])) }
        #expect(throws: PassphraseError.empty) { try PassphraseBytes.normalized(SecureBytes(copying: [])) }
    }
}
