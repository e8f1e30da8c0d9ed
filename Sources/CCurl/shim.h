#ifndef ZOO_CCURL_SHIM_H
#define ZOO_CCURL_SHIM_H
#include <curl/curl.h>

/// CURLVERSION_NOW is a macro naming the newest enum case the headers know; Swift cannot import it.
static inline curl_version_info_data *CCurl_versionInfo(void) { return curl_version_info(CURLVERSION_NOW); }

/// CURL_GLOBAL_DEFAULT is a macro over shifted flags; this runs libcurl's global setup with it.
static inline CURLcode CCurl_globalInit(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot call.
// Each shim below passes one argument type through, so the type libcurl reads is the type Swift passed.

/// Sets an option that takes a `long`.
static inline CURLcode CCurl_setoptLong(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a `curl_off_t` (the `_LARGE` options).
static inline CURLcode CCurl_setoptOffset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a C string (libcurl copies it, except where its documentation says not).
static inline CURLcode CCurl_setoptString(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a data pointer (WRITEDATA, HEADERDATA, ERRORBUFFER, HTTPHEADER…).
static inline CURLcode CCurl_setoptPointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets WRITEFUNCTION or HEADERFUNCTION, which share one callback type.
static inline CURLcode CCurl_setoptWriteFunction(CURL *handle, CURLoption option, curl_write_callback function) {
    return curl_easy_setopt(handle, option, function);
}

/// Reads a `long` fact about a transfer (e.g. CURLINFO_RESPONSE_CODE).
static inline CURLcode CCurl_getinfoLong(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a `curl_off_t` fact about a transfer (e.g. CURLINFO_RETRY_AFTER).
static inline CURLcode CCurl_getinfoOffset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a string fact about a transfer (e.g. CURLINFO_EFFECTIVE_URL); libcurl owns the string.
static inline CURLcode CCurl_getinfoString(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
