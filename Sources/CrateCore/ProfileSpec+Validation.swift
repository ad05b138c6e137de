import Foundation

extension ProfileSpec {
    /// Checks everything about the profile that can be checked without the catalog (name
    /// uniqueness is the catalog's job) and without the network.
    ///
    /// A local folder that does not exist yet is accepted when its nearest existing parent is
    /// writable; it is created when the profile is first used.
    public func validate() throws(ProfileValidationError) {
        try Self.validateName(name)
        switch location {
        case .local(let path): try Self.validateLocalPath(path)
        case .s3(let s3): try Self.validateS3(s3)
        }
        if chunked {
            guard let size = chunkSize else { return }
            guard Self.chunkSizeRange.contains(size) else { throw .chunkSizeOutOfRange(size) }
            guard size & (size - 1) == 0 else { throw .chunkSizeNotPowerOfTwo(size) }
        } else if chunkSize != nil {
            throw .chunkSizeWithoutChunking
        }
    }

    static func validateName(_ name: String) throws(ProfileValidationError) {
        guard !name.trimmingWhitespace().isEmpty else { throw .emptyName }
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
        guard allowed, name.count <= 64, !name.hasPrefix("-") else { throw .invalidName(name) }
    }

    static func validateLocalPath(_ path: String) throws(ProfileValidationError) {
        guard path.hasPrefix("/") else { throw .relativePath(path) }
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notADirectory(path) }
            if let reason = probeWritable(path) { throw .notWritable(path, reason: reason) }
            return
        }
        // Walk up to the nearest existing ancestor; it must be a writable folder.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) && ancestor != "/" {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        guard isDirectory.boolValue else {
            throw .notWritable(path, reason: "\(ancestor) is not a folder")
        }
        if let reason = probeWritable(ancestor) {
            throw .notWritable(path, reason: "\(ancestor): \(reason)")
        }
    }

    /// Creates and removes a probe file: the only check that also catches read-only file
    /// systems and root on /proc. Returns why it failed, or `nil`.
    private static func probeWritable(_ directory: String) -> String? {
        let probe = directory + "/.crate-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        close(fd)
        unlink(probe)
        return nil
    }

    static func validateS3(_ s3: S3Location) throws(ProfileValidationError) {
        guard let url = URL(string: s3.endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty,
            url.path.isEmpty || url.path == "/", url.query == nil
        else { throw .malformedEndpoint(s3.endpoint) }
        guard !s3.region.trimmingWhitespace().isEmpty else { throw .emptyRegion }
        try validateBucketName(s3.bucket)
    }

    /// S3's bucket naming rules (the subset that every S3-compatible server shares).
    static func validateBucketName(_ bucket: String) throws(ProfileValidationError) {
        func fail(_ reason: String) -> ProfileValidationError { .invalidBucketName(bucket, reason: reason) }
        guard (3...63).contains(bucket.count) else { throw fail("it must be 3 to 63 characters long") }
        let allowed = bucket.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }
        guard allowed else { throw fail("use only lowercase letters, digits, '.' and '-'") }
        guard let first = bucket.first, let last = bucket.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { throw fail("it must begin and end with a letter or digit") }
        guard !bucket.contains("..") else { throw fail("it must not contain \"..\"") }
        let octets = bucket.split(separator: ".")
        if octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) {
            throw fail("it must not look like an IP address")
        }
    }
}
