#ifndef ZOO_CCRYPTO_SHIM_H
#define ZOO_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
