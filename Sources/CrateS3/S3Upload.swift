/// Hooks on the bodies of requests the current task sends, read when a request is made: they
/// let a caller pace what goes on the wire and hear how much has gone, without threading
/// parameters through every request method (a retried request sends its body again, and
/// both hooks hear it again).
public enum S3Upload {
    /// Waits until the next `count` bytes of a body may go (a bandwidth limit).
    @TaskLocal public static var beforePiece: (@Sendable (_ count: Int) async throws -> Void)?
    /// Hears `count` more bytes of a body handed to the connection.
    @TaskLocal public static var bodySent: (@Sendable (_ count: Int) -> Void)?
}
