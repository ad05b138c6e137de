#ifndef CRATE_CTAGLIB_SHIM_H
#define CRATE_CTAGLIB_SHIM_H
// TagLib's C API, from Debian's libtagc0-dev.
#include <taglib/tag_c.h>
#endif
