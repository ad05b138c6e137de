import CrateAudio
import CrateTestSupport
import Foundation

/// Audio files made at test time with sox, flac and lame (scripts/install-deps --test installs
/// them) in a folder removed when the value is released.
final class AudioFixtures {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "crate-audio-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Three seconds of a tone under pink noise, 16-bit stereo at 44.1 kHz: real audio that
    /// FLAC and LAME compress as they would music.
    func wav() async throws -> String {
        let wav = path + "/tone.wav"
        if !FileManager.default.fileExists(atPath: wav) {
            try await Self.run(
                "sox", "-q", "-n", "-r", "44100", "-c", "2", "-b", "16", wav,
                "synth", "3", "sine", "440", "synth", "3", "pinknoise", "mix", "gain", "-6")
        }
        return wav
    }

    /// The tone as FLAC; `options` go to the encoder.
    func flac(_ name: String = "good.flac", options: [String] = []) async throws -> String {
        let out = path + "/" + name
        try await Self.run(["flac", "-s", "-f"] + options + ["-o", out, try await wav()])
        return out
    }

    /// The tone as MP3; `options` go to lame.
    func mp3(_ name: String = "good.mp3", options: [String] = ["-b", "192"]) async throws -> String {
        let out = path + "/" + name
        try await Self.run(["lame", "--quiet"] + options + [try await wav(), out])
        return out
    }

    /// Writes `bytes` to a file in the folder and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let out = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        return out
    }

    /// The bytes of a file, read while the folder is still there.
    func bytes(of file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// Runs a tool and returns its standard output; throws when it fails.
    @discardableResult
    static func run(_ arguments: String...) async throws -> String { try await Tool.output(arguments) }

    @discardableResult
    static func run(_ arguments: [String]) async throws -> String { try await Tool.output(arguments) }
}

/// Serves bytes in pieces of at most `pieceSize`, however much a check asks for: the reader
/// side of the `AudioCheck.Read` contract, with uneven pieces on demand.
final class PieceReader {
    private let bytes: [UInt8]
    private let pieceSize: Int
    private var position = 0

    init(_ bytes: [UInt8], pieceSize: Int = 1 << 20) {
        self.bytes = bytes
        self.pieceSize = pieceSize
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let end = min(bytes.count, position + min(maxCount, pieceSize))
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

extension AudioCheck.Result {
    var isDamaged: Bool {
        if case .damaged = self { return true }
        return false
    }

    var reason: String {
        switch self {
        case .intact: ""
        case .cannotCheck(let reason), .damaged(let reason): reason
        }
    }
}

/// Checks `bytes` as `kind`, read in pieces of at most `pieceSize`.
func check(_ kind: AudioCheck.Kind, _ bytes: [UInt8], pieceSize: Int = 1 << 20) async throws -> AudioCheck.Result {
    let reader = PieceReader(bytes, pieceSize: pieceSize)
    return try await AudioCheck.check(kind, read: reader.read(upTo:))
}
