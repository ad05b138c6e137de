#ifndef CRATE_STB_IMAGE_SHIM_H
#define CRATE_STB_IMAGE_SHIM_H

/// The few calls of stb_image that Crate uses: JPEG and PNG from memory, never from a path.
/// stb_image itself is header-only (Debian's libstb-dev); stb_image_shim.c compiles it once.

/// Reads a picture's header only: 1 and its size when stb_image knows the format, else 0.
int crate_stbi_info(const unsigned char *data, int length, int *width, int *height);

/// Decodes a whole picture to 8-bit RGB (3 bytes a pixel, rows top to bottom); NULL when it
/// cannot (crate_stbi_failure_reason says why). Free the pixels with crate_stbi_free.
unsigned char *crate_stbi_load_rgb(const unsigned char *data, int length, int *width, int *height);

void crate_stbi_free(unsigned char *pixels);

/// Why the last call on this thread failed, in stb_image's words ("bad huffman code", …).
const char *crate_stbi_failure_reason(void);

#endif
