#ifndef RELEASE_LINKER_CCURL_SHIM_H
#define RELEASE_LINKER_CCURL_SHIM_H

#include <curl/curl.h>

#endif
