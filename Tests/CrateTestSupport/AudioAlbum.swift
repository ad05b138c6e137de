import Foundation

/// Release folders of real and deliberately damaged audio, made at test time with sox, flac and
/// lame (scripts/install-deps --test installs them), as Tests/CrateAudioTests/AudioFixtures does.
public enum AudioAlbum {
    /// The files `make` can write, each a way a file can be (or not be) damaged.
    public enum Track: String, CaseIterable, Sendable {
        case good = "01 - Good.flac"
        /// Bytes flipped in the middle of the audio; every header intact.
        case flipped = "02 - Flipped.flac"
        /// Cut at 60 %.
        case truncated = "03 - Truncated.flac"
        /// Encoded without an MD5 in STREAMINFO: intact as far as anyone can tell.
        case noMD5 = "04 - No MD5.flac"
        case goodMP3 = "05 - Good.mp3"
        case truncatedMP3 = "06 - Truncated.mp3"

        public var isDamaged: Bool { self == .flipped || self == .truncated || self == .truncatedMP3 }
    }

    /// Writes a release folder `folder` holding `tracks` and a cover, and returns its path.
    public static func make(_ folder: String, tracks: [Track]) async throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let wav = folder + "/.tone.wav"
        try await run(
            "sox", "-q", "-n", "-r", "44100", "-c", "2", "-b", "16", wav,
            "synth", "3", "sine", "440", "synth", "3", "pinknoise", "mix", "gain", "-6")
        defer { try? FileManager.default.removeItem(atPath: wav) }
        for track in tracks {
            let out = folder + "/" + track.rawValue
            switch track {
            case .good, .flipped, .truncated: try await run("flac", "-s", "-f", "-o", out, wav)
            case .noMD5: try await run("flac", "-s", "-f", "--no-md5-sum", "-o", out, wav)
            case .goodMP3, .truncatedMP3: try await run("lame", "--quiet", "-b", "192", wav, out)
            }
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
            switch track {
            case .flipped: flipMiddle(&bytes)
            case .truncated, .truncatedMP3: bytes = Array(bytes.prefix(bytes.count * 6 / 10))
            default: continue
            }
            try Data(bytes).write(to: URL(fileURLWithPath: out))
        }
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: folder + "/cover.jpg"))
        return folder
    }

    /// Flips 8 bytes in the middle: inside the audio frames, far from any header.
    public static func flipMiddle(_ bytes: inout [UInt8]) {
        for index in bytes.count / 2..<bytes.count / 2 + 8 { bytes[index] ^= 0x5A }
    }

    static func run(_ arguments: String...) async throws {
        try await Tool.output(arguments)
    }
}

/// A tool that making a fixture needs failed or is missing.
public struct ToolFailed: Error, CustomStringConvertible {
    public var description: String
}

extension AudioAlbum {
    /// STREAMINFO's MD5 as metaflac prints it.
    public static func md5(of file: String) async throws -> String {
        try await Tool.output(["metaflac", "--show-md5sum", file]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
