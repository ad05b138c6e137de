// Generated from themes/*.toml; ThemeTests checks the two agree. Edit the .toml files and
// regenerate (scripts/embed-themes) rather than editing this file.
enum BuiltinThemes {
    static let all: [String: String] = [
        "default": #"""
        # Crate's default theme: light text on a dark terminal.
        # Each [styles.ROLE] sets fg/bg (a colour name or 0-255) and bold/dim/reverse/underline.
        name = "default"

        [styles.normal]
        fg = "default"

        [styles.dim]
        fg = "bright-black"

        [styles.title]
        fg = "bright-white"
        bold = true

        [styles.tab]
        fg = "white"
        bg = "blue"

        [styles.tabActive]
        fg = "black"
        bg = "cyan"
        bold = true

        [styles.header]
        fg = "cyan"
        bold = true
        underline = true

        [styles.selected]
        # Reverse video: the row stays marked without colours (NO_COLOR) too.
        fg = "cyan"
        reverse = true

        [styles.border]
        fg = "bright-black"

        [styles.footer]
        fg = "white"
        bg = "bright-black"

        [styles.footerKey]
        fg = "bright-yellow"
        bg = "bright-black"
        bold = true

        [styles.status]
        fg = "bright-white"

        [styles.error]
        fg = "bright-red"
        bold = true

        [styles.accent]
        fg = "bright-cyan"

        [styles.success]
        fg = "green"

        [styles.warning]
        fg = "yellow"

        [styles.input]
        fg = "bright-white"
        bg = "blue"

        [styles.chunkPending]
        fg = "bright-black"

        [styles.chunkInFlight]
        fg = "bright-yellow"
        bold = true

        [styles.chunkStored]
        fg = "green"

        [styles.chunkRetrying]
        fg = "magenta"
        bold = true

        [styles.chunkFailed]
        fg = "bright-red"
        bold = true
        """#,
        "light": #"""
        # Dark text for light terminals.
        name = "light"

        [styles.normal]
        fg = "black"

        [styles.dim]
        fg = 244

        [styles.title]
        fg = "black"
        bold = true

        [styles.tab]
        fg = "black"
        bg = 252

        [styles.tabActive]
        fg = "white"
        bg = "blue"
        bold = true

        [styles.header]
        fg = "blue"
        bold = true
        underline = true

        [styles.selected]
        fg = "blue"
        reverse = true

        [styles.border]
        fg = 246

        [styles.footer]
        fg = "black"
        bg = 252

        [styles.footerKey]
        fg = "blue"
        bg = 252
        bold = true

        [styles.status]
        fg = "black"

        [styles.error]
        fg = "red"
        bold = true

        [styles.accent]
        fg = "blue"

        [styles.success]
        fg = "green"

        [styles.warning]
        fg = 130

        [styles.input]
        fg = "black"
        bg = 229

        [styles.chunkPending]
        fg = 250

        [styles.chunkInFlight]
        fg = 166
        bold = true

        [styles.chunkStored]
        fg = "green"

        [styles.chunkRetrying]
        fg = "magenta"
        bold = true

        [styles.chunkFailed]
        fg = "red"
        bold = true
        """#,
        "high-contrast": #"""
        # Maximum contrast: bright white on black, selections reversed, everything important bold.
        name = "high-contrast"

        [styles.normal]
        fg = "bright-white"
        bg = "black"

        [styles.dim]
        fg = "white"
        bg = "black"

        [styles.title]
        fg = "bright-white"
        bg = "black"
        bold = true
        underline = true

        [styles.tab]
        fg = "bright-white"
        bg = "black"

        [styles.tabActive]
        fg = "black"
        bg = "bright-yellow"
        bold = true

        [styles.header]
        fg = "bright-yellow"
        bg = "black"
        bold = true

        [styles.selected]
        fg = "bright-white"
        reverse = true
        bold = true

        [styles.border]
        fg = "bright-white"
        bg = "black"

        [styles.footer]
        fg = "bright-white"
        bg = "black"

        [styles.footerKey]
        fg = "black"
        bg = "bright-yellow"
        bold = true

        [styles.status]
        fg = "bright-white"
        bg = "black"
        bold = true

        [styles.error]
        fg = "bright-white"
        bg = "red"
        bold = true

        [styles.accent]
        fg = "bright-cyan"
        bg = "black"
        bold = true

        [styles.success]
        fg = "bright-green"
        bg = "black"
        bold = true

        [styles.warning]
        fg = "bright-yellow"
        bg = "black"
        bold = true

        [styles.input]
        fg = "black"
        bg = "bright-cyan"

        [styles.chunkPending]
        fg = "white"
        bg = "black"

        [styles.chunkInFlight]
        fg = "bright-yellow"
        bg = "black"
        bold = true

        [styles.chunkStored]
        fg = "bright-green"
        bg = "black"
        bold = true

        [styles.chunkRetrying]
        fg = "bright-magenta"
        bg = "black"
        bold = true

        [styles.chunkFailed]
        fg = "bright-red"
        bg = "black"
        bold = true
        """#,
        "mono": #"""
        # No colours at all: attributes only. Also what NO_COLOR gives with any theme.
        name = "mono"

        [styles.dim]
        dim = true

        [styles.title]
        bold = true

        [styles.tabActive]
        reverse = true
        bold = true

        [styles.header]
        bold = true
        underline = true

        [styles.selected]
        reverse = true

        [styles.footer]
        reverse = true

        [styles.footerKey]
        reverse = true
        bold = true

        [styles.error]
        bold = true
        underline = true

        [styles.accent]
        bold = true

        [styles.input]
        underline = true

        [styles.chunkPending]
        dim = true

        [styles.chunkInFlight]
        bold = true

        [styles.chunkRetrying]
        bold = true
        underline = true

        [styles.chunkFailed]
        reverse = true
        """#,
    ]
}
