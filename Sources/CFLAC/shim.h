#ifndef CRATE_CFLAC_SHIM_H
#define CRATE_CFLAC_SHIM_H
// libFLAC's stream decoder, from Debian's libflac-dev.
#include <FLAC/stream_decoder.h>
#endif
