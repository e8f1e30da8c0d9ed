#ifndef ZOO_CCURL_SHIM_H
#define ZOO_CCURL_SHIM_H
#include <curl/curl.h>

/// CURLVERSION_NOW is a macro naming the newest enum case the headers know; Swift cannot import it.
static inline curl_version_info_data *CCurl_versionInfo(void) { return curl_version_info(CURLVERSION_NOW); }

#endif
