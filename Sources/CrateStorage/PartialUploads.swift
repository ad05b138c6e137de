import Foundation

/// A put that never finished and left something behind: a local `.crate-tmp-*` file, or an S3
/// multipart upload that was neither completed nor aborted (its parts are billed).
public struct PartialUpload: Sendable, Hashable {
    /// The object key the put was for (local: the temporary file's own key).
    public var key: String
    /// What removes it: the S3 upload id, or empty for a local file.
    public var handle: String
    /// Bytes held, when the store knows.
    public var size: Int64?
}

/// A store that can find and remove its partial uploads (what `crate gc` reclaims once no
/// writer could still own them, i.e. under the exclusive store lock).
public protocol PartialUploadStore: ObjectStore {
    /// Partial uploads whose keys start with one of `prefixes`.
    func partialUploads(under prefixes: [String]) async throws -> [PartialUpload]
    func removePartialUpload(_ upload: PartialUpload) async throws
}

extension ObjectStore {
    /// This store, or the first store under it (through `StoreWrapper.base`), of type `T`: how
    /// code that needs one layer's capability reaches it, whatever wrappers sit on top.
    public func unwrap<T>(as type: T.Type) -> T? {
        if let match = self as? T { return match }
        if let wrapper = self as? any StoreWrapper { return wrapper.base.unwrap(as: type) }
        return nil
    }
}

extension LocalDirectoryStore: PartialUploadStore {
    public func partialUploads(under prefixes: [String]) async throws -> [PartialUpload] {
        var found: [PartialUpload] = []
        guard let rootFolder = try FolderHandle.open(root, create: false) else { return [] }
        for prefix in prefixes {
            let name = String(prefix.prefix { $0 != "/" })
            guard let folder = try rootFolder.descend([Substring(name)], create: false) else { continue }
            try findTemporaryFiles(folder, relative: name, into: &found)
        }
        return found.sorted { $0.key < $1.key }
    }

    public func removePartialUpload(_ upload: PartialUpload) async throws {
        let names = upload.key.split(separator: "/")
        guard let last = names.last, last.hasPrefix(Self.temporaryPrefix), (try? ObjectKey.validate(upload.key)) != nil
        else {
            throw StorageError.invalidKey(upload.key)
        }
        guard let rootFolder = try FolderHandle.open(root, create: false),
            let folder = try rootFolder.descend(names.dropLast(), create: false)
        else { return }
        try folder.remove(String(last))
    }

    private func findTemporaryFiles(_ folder: FolderHandle, relative: String, into found: inout [PartialUpload]) throws
    {
        for entry in try folder.entries() {
            let key = relative + "/" + entry.name
            switch entry.type {
            case S_IFDIR:
                if let child = try folder.descend([Substring(entry.name)], create: false) {
                    try findTemporaryFiles(child, relative: key, into: &found)
                }
            case S_IFREG where entry.name.hasPrefix(Self.temporaryPrefix):
                found.append(PartialUpload(key: key, handle: "", size: entry.size))
            default: continue
            }
        }
    }
}

extension S3Store: PartialUploadStore {
    public func partialUploads(under prefixes: [String]) async throws -> [PartialUpload] {
        let uploads: [(key: String, uploadId: String)]
        do {
            uploads = try await client.listMultipartUploads(prefix: keyPrefix)
        } catch {
            throw Self.storageError(error, key: keyPrefix)
        }
        return uploads.compactMap { upload in
            let key = String(upload.key.dropFirst(keyPrefix.count))
            guard upload.key.hasPrefix(keyPrefix), prefixes.contains(where: key.hasPrefix) else { return nil }
            return PartialUpload(key: key, handle: upload.uploadId, size: nil)
        }
    }

    public func removePartialUpload(_ upload: PartialUpload) async throws {
        do {
            try await client.abortMultipartUpload(keyPrefix + upload.key, uploadId: upload.handle)
        } catch {
            throw Self.storageError(error, key: upload.key)
        }
    }
}
