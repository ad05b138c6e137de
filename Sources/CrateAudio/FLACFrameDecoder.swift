import CFLAC

/// libFLAC's stream decoder, fed from a `ByteWindow` through its C callbacks, one frame a step.
///
/// The decoder is handed a stream that starts with a synthetic header — `fLaC` and the
/// STREAMINFO block marked last — and continues with the file's frames: `FLACCheck` has already
/// stepped over the other metadata blocks, whatever their size, so libFLAC never asks for more
/// than one frame's bytes in a step. Callbacks reach this object through an unretained pointer;
/// it owns the decoder, so it outlives every callback.
final class FLACFrameDecoder {
    /// Something the decoder reported as wrong, with where it was.
    struct Fault {
        let status: FLAC__StreamDecoderErrorStatus
        /// Samples (per channel) decoded before the fault.
        let sample: UInt64
        /// The byte in the file where the decoder stood, when libFLAC could say.
        let byte: Int?
        /// True when the whole file had been handed to the decoder: a fault here is the end
        /// of a cut-short stream.
        let atEnd: Bool
    }

    /// Samples per channel the decoder has written out.
    private(set) var samplesDecoded: UInt64 = 0
    /// The first fault, and how many there were.
    private(set) var firstFault: Fault?
    private(set) var faultCount = 0
    /// True when a step asked for bytes the window did not have while the stream went on (only
    /// a search for sync through megabytes of garbage does that; legal frames are smaller).
    private(set) var starved = false

    private let decoder: UnsafeMutablePointer<FLAC__StreamDecoder>
    private let window: ByteWindow
    private let header: [UInt8]
    private var headerSent = 0

    /// A decoder over `window`, whose front is the file's first frame. Nil when libFLAC cannot
    /// make or start one (out of memory).
    init?(window: ByteWindow, streamInfo: FLACStreamInfo) {
        guard let decoder = FLAC__stream_decoder_new() else { return nil }
        self.decoder = decoder
        self.window = window
        header = Array("fLaC".utf8) + [0x80, 0, 0, UInt8(FLACStreamInfo.length)] + streamInfo.body
        FLAC__stream_decoder_set_md5_checking(decoder, 1)
        let status = FLAC__stream_decoder_init_stream(
            decoder,
            { _, buffer, bytes, client in
                Unmanaged<FLACFrameDecoder>.fromOpaque(client!).takeUnretainedValue().serve(buffer!, bytes!)
            },
            nil,
            { _, position, client in
                let me = Unmanaged<FLACFrameDecoder>.fromOpaque(client!).takeUnretainedValue()
                position!.pointee = FLAC__uint64(me.position)
                return FLAC__STREAM_DECODER_TELL_STATUS_OK
            },
            nil,
            nil,
            { _, frame, _, client in
                let me = Unmanaged<FLACFrameDecoder>.fromOpaque(client!).takeUnretainedValue()
                me.samplesDecoded += UInt64(frame!.pointee.header.blocksize)
                return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
            },
            nil,
            { _, status, client in
                Unmanaged<FLACFrameDecoder>.fromOpaque(client!).takeUnretainedValue().record(status)
            },
            Unmanaged.passUnretained(self).toOpaque())
        // On failure deinit deletes the decoder: every property is set by now.
        guard status == FLAC__STREAM_DECODER_INIT_STATUS_OK else { return nil }
    }

    deinit { FLAC__stream_decoder_delete(decoder) }

    /// Decodes the next frame (or the header). Returns false once the stream is done: its end
    /// reached, or the decoder stopped.
    func step() -> Bool {
        let ok = FLAC__stream_decoder_process_single(decoder) != 0
        let state = FLAC__stream_decoder_get_state(decoder)
        return ok && state != FLAC__STREAM_DECODER_END_OF_STREAM && state != FLAC__STREAM_DECODER_ABORTED
    }

    /// Ends decoding; true unless the decoded audio's MD5 differs from STREAMINFO's.
    func finish() -> Bool { FLAC__stream_decoder_finish(decoder) != 0 }

    /// The file offset of the next byte to hand over (the synthetic header counts backwards
    /// from the first frame).
    var position: Int { window.offset - (header.count - headerSent) }

    private func serve(
        _ buffer: UnsafeMutablePointer<FLAC__byte>, _ bytes: UnsafeMutablePointer<Int>
    ) -> FLAC__StreamDecoderReadStatus {
        let wanted = bytes.pointee
        var given = 0
        if headerSent < header.count {
            given = min(wanted, header.count - headerSent)
            header.withUnsafeBytes {
                UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress! + headerSent, byteCount: given)
            }
            headerSent += given
        }
        given += window.take(into: UnsafeMutableRawPointer(buffer + given), maxCount: wanted - given)
        bytes.pointee = given
        if given > 0 { return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE }
        if window.sourceEnded { return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM }
        starved = true
        return FLAC__STREAM_DECODER_READ_STATUS_ABORT
    }

    private func record(_ status: FLAC__StreamDecoderErrorStatus) {
        faultCount += 1
        guard firstFault == nil else { return }
        var decodePosition: FLAC__uint64 = 0
        let known = FLAC__stream_decoder_get_decode_position(decoder, &decodePosition) != 0
        firstFault = Fault(
            status: status, sample: samplesDecoded, byte: known ? Int(decodePosition) : nil,
            atEnd: window.isAtEnd)
    }
}
