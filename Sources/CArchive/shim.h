#ifndef ZOO_CARCHIVE_SHIM_H
#define ZOO_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/* libarchive's AE_IF* file-type macros are casts to __LA_MODE_T, which Swift does not import;
   these constants carry the same values (the POSIX S_IF* bits) under names Swift can see. */
static const __LA_MODE_T CArchive_IFMT = AE_IFMT;
static const __LA_MODE_T CArchive_IFREG = AE_IFREG;
static const __LA_MODE_T CArchive_IFDIR = AE_IFDIR;
static const __LA_MODE_T CArchive_IFLNK = AE_IFLNK;
static const __LA_MODE_T CArchive_IFCHR = AE_IFCHR;
static const __LA_MODE_T CArchive_IFBLK = AE_IFBLK;
static const __LA_MODE_T CArchive_IFIFO = AE_IFIFO;
static const __LA_MODE_T CArchive_IFSOCK = AE_IFSOCK;

#endif
