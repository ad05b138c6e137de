/// Hooks on the bodies of requests the current task sends, read when a request is made: they
/// let a caller pace what goes on the wire and hear how much has gone, without threading
/// parameters through every request method (a retried request sends its body again, and
/// both hooks hear it again).
///
/// A paced request is a slow request on purpose: while `beforePiece` waits the transport's
/// idle watchdog is kept alive and the request has no overall deadline, its slices are
/// 64 KiB (so a low limit still moves bytes every few seconds), and a multipart upload sends
/// one part at a time (parts in parallel would only split the same rate).
public enum S3Upload {
    /// Waits until the next `count` bytes of a body may go (a bandwidth limit).
    @TaskLocal public static var beforePiece: (@Sendable (_ count: Int) async throws -> Void)?
    /// Hears `count` more bytes of a body handed to the connection.
    @TaskLocal public static var bodySent: (@Sendable (_ count: Int) -> Void)?
}
