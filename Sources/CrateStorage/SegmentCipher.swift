import Crypto
import Foundation

/// Seals and opens the segments of one sealed object: AES-256-GCM with the nonce and
/// associated data of `SealedFormat`. Pure: byte arrays in, byte arrays out.
struct SegmentCipher {
    let key: SymmetricKey
    let header: SealedFormat.Header
    let objectName: String
    private let associatedData: [UInt8]

    init(key: SymmetricKey, header: SealedFormat.Header, objectName: String) {
        self.key = key
        self.header = header
        self.objectName = objectName
        associatedData = SealedFormat.associatedData(header: header, objectName: objectName)
    }

    /// Appends ciphertext ‖ tag of one segment to `output`.
    func seal<Plaintext: DataProtocol>(
        _ plaintext: Plaintext, counter: Int64, last: Bool, appendingTo output: inout [UInt8]
    ) {
        let nonce = try! AES.GCM.Nonce(
            data: SealedFormat.nonce(prefix: header.noncePrefix, counter: counter, last: last))
        // Sealing with a valid key and 12-byte nonce cannot fail.
        let box = try! AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: associatedData)
        output.append(contentsOf: box.ciphertext)
        output.append(contentsOf: box.tag)
    }

    /// Opens one segment sealed with `last`, or returns `nil` when it does not authenticate.
    func open(_ sealed: ArraySlice<UInt8>, counter: Int64, last: Bool) -> Data? {
        guard sealed.count >= Int(SealedFormat.tagSize) else { return nil }
        let tagStart = sealed.endIndex - Int(SealedFormat.tagSize)
        guard
            let nonce = try? AES.GCM.Nonce(
                data: SealedFormat.nonce(prefix: header.noncePrefix, counter: counter, last: last)),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed[..<tagStart], tag: sealed[tagStart...]),
            let plaintext = try? AES.GCM.open(box, using: key, authenticating: associatedData)
        else { return nil }
        return plaintext
    }

    /// Opens segment `counter`, which should be the last one exactly when `last`; names the
    /// failure precisely: a segment that opens only with the other flag means the object was
    /// cut at a segment boundary (or extended), anything else is an authentication failure.
    func openExpecting(_ sealed: ArraySlice<UInt8>, counter: Int64, last: Bool) throws(StorageError) -> Data {
        if let plaintext = open(sealed, counter: counter, last: last) { return plaintext }
        if open(sealed, counter: counter, last: !last) != nil {
            if last {
                throw .truncated(key: objectName, reason: "it ends after segment \(counter), which is not its last")
            }
            throw .integrity(key: objectName, reason: "it continues after its last segment \(counter)")
        }
        throw .authenticationFailed(key: objectName, segment: counter)
    }
}
