#ifndef ZOO_CPROTOBUFC_SHIM_H
#define ZOO_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
