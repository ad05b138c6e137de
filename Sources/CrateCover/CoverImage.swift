/// A picture small enough to keep in the UI's state: 8-bit RGB pixels, rows top to bottom.
/// `CoverDecoder` makes one from a file; the detail pane resizes it to the cells it has.
public struct CoverImage: Hashable, Sendable {
    /// One pixel's colour.
    public struct RGB: Hashable, Sendable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    public let width: Int
    public let height: Int
    /// `width × height` pixels, row by row.
    public let pixels: [RGB]

    /// A picture of `width × height` pixels; `pixels` must hold exactly that many.
    public init(width: Int, height: Int, pixels: [RGB]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "pixels do not fill the picture")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Builds a picture from a function of the pixel's position (tests draw gradients with it).
    public init(width: Int, height: Int, pixel: (_ x: Int, _ y: Int) -> RGB) {
        var pixels: [RGB] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            for x in 0..<width { pixels.append(pixel(x, y)) }
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    public subscript(x: Int, y: Int) -> RGB { pixels[y * width + x] }

    /// The largest size within `maxWidth × maxHeight` with this picture's aspect ratio (at
    /// least 1×1), so a cover is never stretched.
    public func size(fitting maxWidth: Int, _ maxHeight: Int) -> (width: Int, height: Int) {
        Self.size(of: width, height, fitting: maxWidth, maxHeight)
    }

    static func size(of width: Int, _ height: Int, fitting maxWidth: Int, _ maxHeight: Int) -> (
        width: Int, height: Int
    ) {
        // Compare the ratios in integers: width/height against maxWidth/maxHeight.
        if width * maxHeight >= height * maxWidth {
            return (max(1, maxWidth), max(1, (height * maxWidth + width / 2) / width))
        }
        return (max(1, (width * maxHeight + height / 2) / height), max(1, maxHeight))
    }

    /// This picture at `newWidth × newHeight`: each new pixel is the average of the source
    /// pixels it covers (a box filter, so a downscaled cover keeps its colours rather than
    /// picking stray pixels); enlarging repeats pixels.
    public func resized(width newWidth: Int, height newHeight: Int) -> CoverImage {
        Self.resample(width: width, height: height, to: newWidth, newHeight) { x, y in self[x, y] }
    }

    /// Box-filters a `width × height` source read through `pixel` down (or up) to
    /// `newWidth × newHeight`.
    static func resample(
        width: Int, height: Int, to newWidth: Int, _ newHeight: Int, pixel: (Int, Int) -> RGB
    ) -> CoverImage {
        let newWidth = max(1, newWidth)
        let newHeight = max(1, newHeight)
        return CoverImage(width: newWidth, height: newHeight) { x, y in
            let x0 = x * width / newWidth
            let x1 = max(x0 + 1, (x + 1) * width / newWidth)
            let y0 = y * height / newHeight
            let y1 = max(y0 + 1, (y + 1) * height / newHeight)
            var (red, green, blue) = (0, 0, 0)
            for sy in y0..<y1 {
                for sx in x0..<x1 {
                    let p = pixel(sx, sy)
                    red += Int(p.red)
                    green += Int(p.green)
                    blue += Int(p.blue)
                }
            }
            let count = (x1 - x0) * (y1 - y0)
            return RGB(
                UInt8((red + count / 2) / count), UInt8((green + count / 2) / count),
                UInt8((blue + count / 2) / count))
        }
    }
}
