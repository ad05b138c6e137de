/// The front of a FLAC file — an optional ID3v2 tag, `fLaC`, the metadata blocks — read from a
/// `ByteWindow` up to the first frame, keeping STREAMINFO and stepping over the rest.
enum FLACMetadata {
    /// Why the front of a file is not a FLAC stream's.
    struct Damage: Error, Equatable {
        let reason: String
    }

    /// Reads up to the first frame and returns STREAMINFO; the window's front is then the first
    /// frame.
    static func skipToFrames(_ window: ByteWindow) async throws -> Result<FLACStreamInfo, Damage> {
        let truncated = Damage(reason: "stream ends inside the metadata (truncated)")
        try await window.fill(atLeast: ID3v2Tag.headerLength)
        if let tag = ID3v2Tag.length(header: window.bytes(at: 0, length: ID3v2Tag.headerLength)) {
            guard try await window.skip(tag) else { return .failure(truncated) }
            try await window.fill(atLeast: 4)
        }
        guard window.matches(Array("fLaC".utf8)) else {
            return .failure(Damage(reason: "not a FLAC stream (no fLaC marker at the start)"))
        }
        window.consume(4)
        var streamInfo: FLACStreamInfo?
        var isLast = false
        while !isLast {
            guard try await window.fill(atLeast: 4) else { return .failure(truncated) }
            let block = window.bytes(at: 0, length: 4)
            window.consume(4)
            isLast = block[0] & 0x80 != 0
            let type = block[0] & 0x7F
            let length = Int(block[1]) << 16 | Int(block[2]) << 8 | Int(block[3])
            if streamInfo == nil {
                guard type == 0, length == FLACStreamInfo.length else {
                    return .failure(Damage(reason: "the first metadata block is not STREAMINFO"))
                }
                guard try await window.fill(atLeast: length) else { return .failure(truncated) }
                guard let info = FLACStreamInfo(body: window.bytes(at: 0, length: length)) else {
                    return .failure(Damage(reason: "STREAMINFO gives a sample rate of 0"))
                }
                window.consume(length)
                streamInfo = info
            } else {
                guard type != 127 else {
                    return .failure(Damage(reason: "invalid metadata block at byte \(window.offset - 4)"))
                }
                guard try await window.skip(length) else { return .failure(truncated) }
            }
        }
        return .success(streamInfo!)
    }
}
