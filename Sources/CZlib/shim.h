#ifndef RELEASE_LINKER_CZLIB_SHIM_H
#define RELEASE_LINKER_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro Swift cannot call: a raw deflate stream (a zip entry has no zlib header).
static inline int czlib_inflate_init_raw(z_streamp stream) {
  return inflateInit2(stream, -MAX_WBITS);
}

#endif
