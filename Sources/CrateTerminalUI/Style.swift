/// What a cell is for; themes map each role to colours and attributes. Renderers pick roles,
/// never colours, so one grid serves every theme and `NO_COLOR`.
public enum Style: String, CaseIterable, Hashable, Sendable {
    case normal, dim, title, tab, tabActive, header, selected, border, footer, footerKey, status, error
    case accent, success, warning, input
    case chunkPending, chunkInFlight, chunkStored, chunkRetrying, chunkFailed

    /// One character per role for attribute snapshots.
    public var code: Character {
        switch self {
        case .normal: " "
        case .dim: "."
        case .title: "T"
        case .tab: "t"
        case .tabActive: "A"
        case .header: "H"
        case .selected: "S"
        case .border: "B"
        case .footer: "f"
        case .footerKey: "K"
        case .status: "s"
        case .error: "E"
        case .accent: "a"
        case .success: "g"
        case .warning: "w"
        case .input: "I"
        case .chunkPending: "p"
        case .chunkInFlight: "i"
        case .chunkStored: "#"
        case .chunkRetrying: "r"
        case .chunkFailed: "x"
        }
    }
}
