/// Hooks on the bodies of requests the current task sends, read when a request is made: they
/// let a caller pace what goes on the wire and hear how much has gone, without threading
/// parameters through every request method (a retried request sends its body again, and
/// both hooks hear it again).
///
/// A paced request is a slow request on purpose: while `beforePiece` waits the transport's
/// idle watchdog is kept alive and the request has no overall deadline, its slices are
/// 64 KiB (so a low limit still moves bytes every few seconds), and a multipart upload sends
/// one part at a time (parts in parallel would only split the same rate).
///
/// The hooks are classes, not optional closures: bound as `(@Sendable (Int) -> Void)?`, the
/// optimiser (Swift 6.3.1, release builds) passed `swift_task_localValuePush` a null type for
/// the value, and every chunked upload to S3 crashed.
public enum S3Upload {
    /// Waits until the next `count` bytes of a body may go (a bandwidth limit).
    @TaskLocal public static var beforePiece: Gate?
    /// Hears `count` more bytes of a body handed to the connection.
    @TaskLocal public static var bodySent: Hearing?

    /// A wait before each piece of a body.
    public final class Gate: Sendable {
        private let wait: @Sendable (_ count: Int) async throws -> Void

        public init(_ wait: @escaping @Sendable (_ count: Int) async throws -> Void) { self.wait = wait }

        public func callAsFunction(_ count: Int) async throws { try await wait(count) }
    }

    /// A listener to the bytes of a body as they go.
    public final class Hearing: Sendable {
        private let heard: @Sendable (_ count: Int) -> Void

        public init(_ heard: @escaping @Sendable (_ count: Int) -> Void) { self.heard = heard }

        public func callAsFunction(_ count: Int) { heard(count) }
    }
}
