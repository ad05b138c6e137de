import CFLAC

/// Checks a FLAC file: every frame decoded by libFLAC with its CRCs checked, the sample count
/// compared with STREAMINFO's, and the decoded audio's MD5 with STREAMINFO's.
///
/// Memory stays at `windowCapacity` plus libFLAC's own buffers whatever the file's size:
/// metadata blocks (a cover of many MiB) are skipped as they stream past, and before each frame
/// the window holds `frameReserve` bytes — more than any legal frame — unless the file ends first,
/// so libFLAC's read callback never waits for the network or the disk.
public enum FLACCheck {
    /// What a check found, with the file's STREAMINFO when it could be read.
    public struct Report: Sendable, Equatable {
        public let result: AudioCheck.Result
        /// Its `md5Hex` is what the catalog records, even when the check found damage.
        public let streamInfo: FLACStreamInfo?
    }

    /// More than the largest legal frame (65,535 samples × 8 channels × 32 bits, verbatim: 2 MiB).
    static let frameReserve = 4 << 20
    static let windowCapacity = 8 << 20

    /// Checks the FLAC stream `read` pulls.
    public static func check(read: AudioCheck.Read) async throws -> AudioCheck.Result {
        try await inspect(read: read).result
    }

    /// Checks the FLAC stream `read` pulls and returns its STREAMINFO with the result.
    public static func inspect(read: AudioCheck.Read) async throws -> Report {
        // The window keeps the closure only for the length of this call.
        try await withoutActuallyEscaping(read) { read in
            let window = ByteWindow(capacity: windowCapacity, read: read)
            let streamInfo: FLACStreamInfo
            switch try await FLACMetadata.skipToFrames(window) {
            case .failure(let damage): return Report(result: .damaged(reason: damage.reason), streamInfo: nil)
            case .success(let found): streamInfo = found
            }
            guard let decoder = FLACFrameDecoder(window: window, streamInfo: streamInfo) else {
                throw AudioCheckError.decoderUnavailable
            }
            repeat {
                try await window.fill(atLeast: frameReserve)
            } while decoder.step()
            let md5Matches = decoder.finish()
            return Report(result: verdict(decoder, streamInfo, md5Matches: md5Matches), streamInfo: streamInfo)
        }
    }

    private static func verdict(
        _ decoder: FLACFrameDecoder, _ info: FLACStreamInfo, md5Matches: Bool
    ) -> AudioCheck.Result {
        let total = info.totalSamples
        let decoded = decoder.samplesDecoded
        let truncated = total > 0 && decoded < total
        let truncation = "stream ends after \(info.seconds(decoded)) of \(info.seconds(total)) (truncated)"
        if let fault = decoder.firstFault {
            if fault.atEnd && truncated { return .damaged(reason: truncation) }
            let more = decoder.faultCount > 1 ? " (and \(decoder.faultCount - 1) more faults)" : ""
            return .damaged(reason: describe(fault, info) + more)
        }
        if decoder.starved {
            // libFLAC wanted more than the reserve in one step: no legal frame is that long.
            return .damaged(reason: "lost sync near byte \(decoder.position)")
        }
        if truncated { return .damaged(reason: truncation) }
        if total > 0 && decoded > total {
            return .damaged(reason: "decodes to \(info.seconds(decoded)), but STREAMINFO says \(info.seconds(total))")
        }
        guard let md5 = info.md5Hex else {
            return .cannotCheck(reason: "STREAMINFO has no MD5 of the audio to compare with")
        }
        if !md5Matches { return .damaged(reason: "decoded audio does not match the MD5 in STREAMINFO") }
        return .intact(md5: md5)
    }

    private static func describe(_ fault: FLACFrameDecoder.Fault, _ info: FLACStreamInfo) -> String {
        let atSample = "at sample \(fault.sample) (\(info.seconds(fault.sample)))"
        let at = fault.byte.map { "at byte \($0)" } ?? atSample
        switch fault.status {
        case FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC: return "lost sync \(at)"
        case FLAC__STREAM_DECODER_ERROR_STATUS_BAD_HEADER: return "bad frame header \(at)"
        case FLAC__STREAM_DECODER_ERROR_STATUS_FRAME_CRC_MISMATCH: return "frame CRC error \(atSample)"
        case FLAC__STREAM_DECODER_ERROR_STATUS_UNPARSEABLE_STREAM:
            return "a frame libFLAC cannot parse \(atSample)"
        case FLAC__STREAM_DECODER_ERROR_STATUS_BAD_METADATA: return "bad metadata"
        default: return "decoder error \(fault.status.rawValue) \(atSample)"
        }
    }
}
