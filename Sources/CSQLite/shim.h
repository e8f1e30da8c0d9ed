#ifndef ZOO_CSQLITE_SHIM_H
#define ZOO_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro over a function-pointer cast, which Swift cannot import;
/// this hands the same sentinel to Swift so bound text and blobs are copied by SQLite.
static inline sqlite3_destructor_type CSQLite_transient(void) { return SQLITE_TRANSIENT; }

#endif
