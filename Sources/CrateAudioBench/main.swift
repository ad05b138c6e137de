// Checks the files named on the command line with CrateAudio, one after another, and prints each
// result and the total time: the Crate side of bench/audio.
import CrateAudio
import Foundation

/// Reads a file with read(2) in pieces of at most `maxCount` bytes.
final class FileReader {
    private let descriptor: Int32

    init?(path: String) {
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 { return nil }
    }

    deinit { close(descriptor) }

    func read(upTo maxCount: Int) throws -> [UInt8] {
        let count = min(maxCount, 1 << 20)
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let got = Foundation.read(descriptor, buffer.baseAddress, count)
            guard got >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            initialized = got
        }
    }
}

let paths = Array(CommandLine.arguments.dropFirst())
if paths.isEmpty {
    FileHandle.standardError.write(Data("usage: CrateAudioBench FILE...\n".utf8))
    exit(64)
}
let started = ContinuousClock.now
var unchecked = 0
for path in paths {
    guard let kind = AudioCheck.kind(forPath: path), let reader = FileReader(path: path) else {
        print("\(path): not checked")
        unchecked += 1
        continue
    }
    let result = try await AudioCheck.check(kind) { try reader.read(upTo: $0) }
    print("\(path): \(result)")
}
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "total %.3f s", seconds))
exit(unchecked == 0 ? 0 : 1)
