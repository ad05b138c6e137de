/// Why a storage profile was refused. Every message names the problem and what to do.
public enum ProfileValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is empty or only white space.
    case emptyName
    /// The name has characters that would make it awkward on a command line.
    case invalidName(String)
    /// Another profile already has this name.
    case duplicateName(String)
    /// A local path that does not start with `/`.
    case relativePath(String)
    /// A local path that exists but is not a folder.
    case notADirectory(String)
    /// A local path we cannot create or write into.
    case notWritable(String, reason: String)
    /// An `--s3` value that is not `s3://BUCKET[/PREFIX]`.
    case malformedS3URI(String)
    /// An endpoint that is not an `http://` or `https://` URL with a host.
    case malformedEndpoint(String)
    /// A bucket name that breaks S3's naming rules.
    case invalidBucketName(String, reason: String)
    /// An empty region.
    case emptyRegion
    /// A chunk size below 256 KiB or above 64 MiB.
    case chunkSizeOutOfRange(Int)
    /// A chunk size that is not a power of two.
    case chunkSizeNotPowerOfTwo(Int)
    /// A chunk size given for a profile that is not chunked.
    case chunkSizeWithoutChunking
    /// A size string we could not parse.
    case malformedSize(String)

    public var description: String {
        switch self {
        case .emptyName:
            "the profile name is empty; give a name such as \"home-nas\""
        case .invalidName(let name):
            "the profile name \"\(name)\" may hold only letters, digits, '-', '_' and '.'; choose another"
        case .duplicateName(let name):
            "a profile named \"\(name)\" already exists; choose another name or edit it with `crate profile edit \(name)`"
        case .relativePath(let path):
            "the local path \"\(path)\" is relative; give an absolute path starting with /"
        case .notADirectory(let path):
            "the local path \"\(path)\" exists and is not a folder; give a folder"
        case .notWritable(let path, let reason):
            "cannot write into \"\(path)\" (\(reason)); choose a folder you can write to"
        case .malformedS3URI(let uri):
            "\"\(uri)\" is not an S3 location; write it as s3://BUCKET or s3://BUCKET/PREFIX"
        case .malformedEndpoint(let endpoint):
            "\"\(endpoint)\" is not an endpoint URL; write it as http://HOST[:PORT] or https://HOST[:PORT]"
        case .invalidBucketName(let bucket, let reason):
            "\"\(bucket)\" is not a valid bucket name: \(reason)"
        case .emptyRegion:
            "the region is empty; give one such as us-east-1"
        case .chunkSizeOutOfRange(let size):
            "chunk size \(ByteSize.format(size)) is outside 256KiB…64MiB; choose a size in that range"
        case .chunkSizeNotPowerOfTwo(let size):
            "chunk size \(size) bytes is not a power of two; use e.g. 1MiB, 4MiB or 16MiB"
        case .chunkSizeWithoutChunking:
            "a chunk size was given for a profile that is not chunked; add --chunked or drop --chunk-size"
        case .malformedSize(let text):
            "\"\(text)\" is not a size; write bytes (4194304) or a unit (4MiB, 512KiB)"
        }
    }
}
