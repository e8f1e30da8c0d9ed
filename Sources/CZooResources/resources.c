// Compiles stubs.json and migrations/*.sql into the binary with C23 #embed, so that zoo needs no
// resource bundle beside it and the build re-embeds a file when it changes. SwiftPM's embedInCode
// turns a 100 KB file into a byte-array literal that takes the type checker ~25 s; this takes none.
// A new migration needs one line in the table below; ZooCatalogTests checks the table against the folder.
#include "CZooResources.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char shipped_catalog[] = {
#embed "../../stubs.json"
};
const CZooEmbeddedFile CZooResources_shippedCatalog = {"stubs.json", shipped_catalog, sizeof(shipped_catalog)};

static const unsigned char migration_0001[] = {
#embed "../../migrations/0001_initial.sql"
};
static const unsigned char migration_0002[] = {
#embed "../../migrations/0002_store.sql"
};
static const unsigned char migration_0003[] = {
#embed "../../migrations/0003_bench_jobs.sql"
};

static const CZooEmbeddedFile migrations[] = {
    {"0001_initial.sql", migration_0001, sizeof(migration_0001)},
    {"0002_store.sql", migration_0002, sizeof(migration_0002)},
    {"0003_bench_jobs.sql", migration_0003, sizeof(migration_0003)},
};
const size_t CZooResources_migrationCount = sizeof(migrations) / sizeof(migrations[0]);

const CZooEmbeddedFile *CZooResources_migration(size_t index) {
    return index < CZooResources_migrationCount ? &migrations[index] : 0;
}
