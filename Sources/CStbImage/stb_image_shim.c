// Compiles stb_image once, for JPEG and PNG only: a cover is one or the other, and every
// decoder left out is attack surface a hostile file cannot reach.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
// Pictures come from memory (read from a stored copy), never from a path.
#define STBI_NO_STDIO
// A second wall behind CoverDecoder's own limit: stb refuses anything larger on either side.
#define STBI_MAX_DIMENSIONS 8192
#include <stb/stb_image.h>

#include "stb_image_shim.h"

int crate_stbi_info(const unsigned char *data, int length, int *width, int *height) {
    int components = 0;
    return stbi_info_from_memory(data, length, width, height, &components);
}

unsigned char *crate_stbi_load_rgb(const unsigned char *data, int length, int *width, int *height) {
    int components = 0;
    return stbi_load_from_memory(data, length, width, height, &components, 3);
}

void crate_stbi_free(unsigned char *pixels) { stbi_image_free(pixels); }

const char *crate_stbi_failure_reason(void) { return stbi_failure_reason(); }
