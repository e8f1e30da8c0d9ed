#ifndef ZOO_CZOORESOURCES_H
#define ZOO_CZOORESOURCES_H
#include <stddef.h>

/// A file compiled into the binary: its name and bytes (not NUL-terminated).
typedef struct {
    const char *name;
    const unsigned char *bytes;
    size_t size;
} CZooEmbeddedFile;

/// The shipped catalog, stubs.json at the repository root.
extern const CZooEmbeddedFile CZooResources_shippedCatalog;

/// The catalog migrations of migrations/, in order: `count` of them, read by index.
extern const size_t CZooResources_migrationCount;
const CZooEmbeddedFile *CZooResources_migration(size_t index);

#endif
