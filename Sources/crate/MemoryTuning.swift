#if canImport(CMalloc)
    import CMalloc
#endif

/// How the `crate` process asks glibc's allocator to treat its large buffers.
///
/// Crate's hot paths allocate the same few sizes over and over: 1 MiB pieces (a file read,
/// a batch of sealed or opened segments), 4 MiB chunk bodies, 8 MiB S3 parts. glibc's default
/// moves its mmap threshold up to the size of each mmapped block freed and returns free memory
/// at the top of a heap beyond twice that, so those buffers were either mapped and unmapped
/// each time or handed back to the kernel and faulted in again, page by page. Fixed thresholds keep buffers below 4 MiB (pieces) on the heaps,
/// keep up to 4 MiB free per heap for reuse, and map blocks from 4 MiB up (chunk bodies, 8 MiB
/// multipart bodies) on their own, so that freeing them returns the memory at once. Keeping
/// chunk bodies on the heaps too was a little faster for chunks sent to S3 but raised the
/// peak memory of a sealed chunked import to S3. The figures are in docs/decisions.md
/// ("Speed, third round").
enum MemoryTuning {
    static let mmapThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 4 << 20

    static func apply() {
        #if canImport(CMalloc)
            _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
            _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        #endif
    }
}
