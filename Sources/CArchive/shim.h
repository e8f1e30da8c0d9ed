#ifndef ZOO_CARCHIVE_SHIM_H
#define ZOO_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
