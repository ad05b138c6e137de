import Foundation

extension S3Client {
    /// The smallest part S3 accepts, except for the last part of an upload.
    public static let minimumPartSize = 5 << 20

    /// Starts a multipart upload and returns its upload id.
    public func createMultipartUpload(_ key: String) async throws(S3Error) -> String {
        let response = try await send(
            "POST", key: key, query: [("uploads", nil)], operation: "start multipart upload of \(bucket)/\(key)")
        guard let root = S3XMLNode.parse(response.body.bytes), let uploadId = root.text(of: "UploadId"),
            !uploadId.isEmpty
        else { throw .malformedResponse("InitiateMultipartUpload answer has no UploadId") }
        return uploadId
    }

    /// Uploads one part (numbered from 1) with a signed payload hash; returns its ETag.
    public func uploadPart(
        _ key: String, uploadId: String, partNumber: Int, bytes: [UInt8]
    ) async throws(S3Error) -> String {
        try await uploadPart(key, uploadId: uploadId, partNumber: partNumber, data: Data(bytes))
    }

    /// Uploads one part held as `Data`, without copying it first.
    public func uploadPart(
        _ key: String, uploadId: String, partNumber: Int, data: Data
    ) async throws(S3Error) -> String {
        let response = try await send(
            "PUT", key: key, query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], body: data,
            operation: "PUT \(bucket)/\(key) part \(partNumber)")
        guard let etag = Self.etag(response.headers) else { throw .malformedResponse("UploadPart answer has no ETag") }
        return etag
    }

    /// Joins the parts into the final object.
    public func completeMultipartUpload(
        _ key: String, uploadId: String, parts: [(number: Int, etag: String)]
    ) async throws(S3Error) {
        var xml = "<CompleteMultipartUpload>"
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(part.etag)\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send(
            "POST", key: key, query: [("uploadId", uploadId)], body: Data(xml.utf8),
            operation: "complete multipart upload of \(bucket)/\(key)")
        // S3 may answer 200 and still report an error in the body.
        if let root = S3XMLNode.parse(response.body.bytes), root.name == "Error" {
            throw S3Error.classify(
                status: response.status, code: root.text(of: "Code") ?? "", message: root.text(of: "Message") ?? "",
                bucket: bucket, key: key, endpoint: endpoint)
        }
    }

    /// Abandons a multipart upload and frees its parts. Succeeds if it is already gone.
    public func abortMultipartUpload(_ key: String, uploadId: String) async throws(S3Error) {
        _ = try await send(
            "DELETE", key: key, query: [("uploadId", uploadId)], accepting: [404],
            operation: "abort multipart upload of \(bucket)/\(key)")
    }

    /// Multipart uploads started and neither completed nor aborted, as (key, upload id).
    public func listMultipartUploads(prefix: String = "") async throws(S3Error) -> [(key: String, uploadId: String)] {
        var query: [(String, String?)] = [("uploads", nil)]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        let response = try await send("GET", key: nil, query: query, operation: "list multipart uploads of \(bucket)")
        guard let root = S3XMLNode.parse(response.body.bytes) else {
            throw .malformedResponse("ListMultipartUploads answer is not XML")
        }
        return root.all("Upload").compactMap { upload in
            guard let key = upload.text(of: "Key"), let id = upload.text(of: "UploadId") else { return nil }
            return (key, id)
        }
    }

    /// Uploads an object part after part, at most `maxConcurrentParts` parts in flight.
    ///
    /// `nextPart` is called from this task only, one part at a time, and returns `[]` at the end;
    /// every part but the last must hold at least `minimumPartSize` bytes, and none more than
    /// `firstPart`. Each part is read once its bytes are free in `uploadBudget`, so the parts in
    /// memory of all this client's uploads together stay within it (plus `firstPart`). If anything fails (a part, reading,
    /// cancellation), the upload is aborted so no parts linger, and the error is rethrown.
    public func uploadMultipart(
        _ key: String, firstPart: [UInt8], nextPart: () async throws -> [UInt8]
    ) async throws {
        try await uploadMultipart(key, firstPart: Data(firstPart)) { Data(try await nextPart()) }
    }

    /// `uploadMultipart` with parts held as `Data`, which go out without another copy.
    public func uploadMultipart(
        _ key: String, firstPart: Data, nextPart: () async throws -> Data
    ) async throws {
        try await uploadBudget.acquire(firstPart.count)
        try await uploadMultipart(key, firstPartHoldingBudget: firstPart, nextPart: nextPart)
    }

    /// `uploadMultipart` for a caller that took `firstPart.count` bytes of `uploadBudget` before
    /// reading `firstPart` (see `S3Store.put`); they go with the part and are given back when its
    /// request ends.
    ///
    /// Every further part is read only once its bytes are free in `uploadBudget` (parts are as
    /// large as the first, the last one aside) and holds them until its request ends, so all the
    /// uploads of this client together keep their bodies within the budget however many objects
    /// upload at once; one upload also waits for its oldest part when it has `maxConcurrentParts`
    /// of its own in flight, so a failed part stops it early.
    public func uploadMultipart(
        _ key: String, firstPartHoldingBudget firstPart: Data, nextPart: () async throws -> Data
    ) async throws {
        let partBytes = firstPart.count
        let uploadId: String
        do {
            uploadId = try await createMultipartUpload(key)
        } catch {
            uploadBudget.release(partBytes)
            throw error
        }
        // A paced upload sends one part at a time: parallel parts would only split its rate.
        let concurrentParts = S3Upload.beforePiece == nil ? maxConcurrentParts : 1
        do {
            var etags: [Int: String] = [:]
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                // `part` holds `partBytes` of the budget whenever it is not empty.
                var part = firstPart
                var number = 1
                var inFlight = 0
                while !part.isEmpty {
                    let bytes = part
                    let partNumber = number
                    group.addTask {
                        defer { self.uploadBudget.release(partBytes) }
                        return (
                            partNumber,
                            try await self.uploadPart(key, uploadId: uploadId, partNumber: partNumber, data: bytes)
                        )
                    }
                    inFlight += 1
                    number += 1
                    part = Data()  // Let the part's memory go while the next one is read.
                    if inFlight == concurrentParts, let (done, etag) = try await group.next() {
                        etags[done] = etag
                        inFlight -= 1
                    }
                    UploadBudget.returnFreedMemory()
                    try await uploadBudget.acquire(partBytes)
                    do {
                        part = try await nextPart()
                    } catch {
                        uploadBudget.release(partBytes)
                        throw error
                    }
                    if part.isEmpty { uploadBudget.release(partBytes) }
                }
                for try await (done, etag) in group { etags[done] = etag }
            }
            try await completeMultipartUpload(key, uploadId: uploadId, parts: etags.map { ($0.key, $0.value) })
        } catch {
            // Abort even when cancelled: the parts would otherwise be billed until a lifecycle rule removes them.
            try? await Task { try await self.abortMultipartUpload(key, uploadId: uploadId) }.value
            throw error
        }
    }
}
