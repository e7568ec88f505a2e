#ifndef RELEASE_LINKER_CCURL_SHIM_H
#define RELEASE_LINKER_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call. Each wrapper below fixes
// the argument type, so a caller can only pass what the option expects.

typedef size_t (*rl_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode rl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode rl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode rl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode rl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode rl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode rl_easy_setopt_callback(CURL *handle, CURLoption option,
                                               rl_curl_data_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

// The blob is copied by libcurl, so the caller's buffer need only live for the call.
static inline CURLcode rl_easy_setopt_blob_copy(CURL *handle, CURLoption option, void *data,
                                                size_t length) {
  struct curl_blob blob;
  blob.data = data;
  blob.len = length;
  blob.flags = CURL_BLOB_COPY;
  return curl_easy_setopt(handle, option, &blob);
}

// A streamed upload is rewound (reopened from its first byte) through this callback.
typedef int (*rl_curl_seek_callback)(void *userdata, curl_off_t offset, int origin);

static inline CURLcode rl_easy_setopt_seek_callback(CURL *handle, CURLoption option,
                                                    rl_curl_seek_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode rl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode rl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode rl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
  return curl_easy_getinfo(handle, info, value);
}

#endif
