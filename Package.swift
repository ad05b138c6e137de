// swift-tools-version: 6.0
// Crate: one target per layer. Dependencies point down only (docs/architecture.md):
//   crate -> CrateTerminalUI -> CrateAppModel -> CrateImporter -> CrateStorage, CrateCatalog
//   CrateStorage -> CrateS3 (HTTP + SigV4 client on AsyncHTTPClient/SwiftNIO, no storage concepts)
//   CrateCatalog, CrateStorage -> CrateCore (profile values and their validation)
//   CrateImporter -> CrateAudio -> CrateCore, CFLAC (is an audio file intact? libFLAC through a C module)
//   CrateAppModel, CrateTerminalUI -> CrateCover -> CStbImage (cover art: stb_image, a C target)
// Only CrateCatalog imports GRDB; only CrateTerminalUI imports CNCursesW; only CrateImporter
// imports CTagLib (TagLib's C API, Debian's libtagc0-dev).
import PackageDescription

let package = Package(
    name: "Crate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crate", targets: ["crate"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .systemLibrary(name: "CTagLib", path: "Sources/CTagLib"),
        // glibc's <malloc.h> (mallopt, malloc_trim), which Swift's Glibc module leaves out.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // libFLAC's stream decoder (Debian's libflac-dev).
        .systemLibrary(name: "CFLAC", path: "Sources/CFLAC"),
        // stb_image (Debian's libstb-dev) is header-only: this target compiles it once, JPEG and
        // PNG only, behind a four-function shim.
        .target(name: "CStbImage"),
        .target(name: "CrateCore"),
        .target(name: "CrateAudio", dependencies: ["CrateCore", "CFLAC"]),
        // Times CrateAudio's checks for bench/audio; not shipped.
        .executableTarget(name: "CrateAudioBench", dependencies: ["CrateAudio"]),
        .target(
            name: "CrateCatalog",
            dependencies: ["CrateCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "CrateS3",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "CMalloc",
            ]
        ),
        .target(
            name: "CrateStorage",
            dependencies: [
                "CrateCore", "CrateS3",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Every module a target imports is declared here; scripts/check-layers holds them to the
        // table in docs/architecture.md.
        .target(
            name: "CrateImporter",
            dependencies: [
                "CrateCore", "CrateCatalog", "CrateStorage", "CrateS3", "CrateAudio", "CTagLib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Cover art: decodes a JPEG/PNG with limits and box-filters it to a few dozen pixels.
        .target(name: "CrateCover", dependencies: ["CStbImage"]),
        .target(name: "CrateAppModel", dependencies: ["CrateCore", "CrateImporter", "CrateCover"]),
        .target(
            name: "CrateTerminalUI",
            dependencies: ["CrateCore", "CrateAppModel", "CrateImporter", "CrateCover", "CNCursesW"]),
        .executableTarget(
            name: "crate",
            dependencies: [
                "CrateTerminalUI", "CrateAppModel", "CrateImporter", "CrateCatalog", "CrateStorage", "CrateCore",
                "CrateCover", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CrateCoreTests", dependencies: ["CrateCore"]),
        .testTarget(name: "CrateCatalogTests", dependencies: ["CrateCatalog"]),
        .testTarget(name: "CrateAudioTests", dependencies: ["CrateAudio", "CrateTestSupport"]),
        .testTarget(name: "CrateCoverTests", dependencies: ["CrateCover", "CrateTestSupport"]),
        // Test helpers shared by several test targets (the fault-injecting S3 proxy).
        .target(name: "CrateTestSupport", path: "Tests/CrateTestSupport"),
        .testTarget(name: "CrateS3Tests", dependencies: ["CrateS3", "CrateTestSupport"]),
        .testTarget(
            name: "CrateStorageTests",
            dependencies: [
                "CrateStorage", "CrateTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            // Format vectors are read by path (#filePath), not bundled.
            exclude: ["Vectors"]
        ),
        .testTarget(
            name: "CrateImporterTests", dependencies: ["CrateImporter", "CrateAppModel", "CrateS3", "CrateTestSupport"]),
        .testTarget(name: "CrateAppModelTests", dependencies: ["CrateAppModel", "CrateCover"]),
        // Golden screens are read by path (#filePath), not bundled.
        .testTarget(
            name: "CrateTerminalUITests", dependencies: ["CrateTerminalUI", "CrateCover"], exclude: ["__Snapshots__"]),
        .testTarget(name: "CrateCLITests", dependencies: ["crate", "CrateS3", "CrateStorage", "CrateTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
