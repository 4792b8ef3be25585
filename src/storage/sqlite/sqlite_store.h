// The embedded SQLite store: one file, WAL, synchronous=FULL, foreign keys on.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "storage/store.h"

namespace sg::storage {

enum class OpenMode {
  kCreate,        // Create the file if missing; migrate to the current schema.
  kExistingOnly,  // The file must exist and be a Safeguard database; migrate forward.
};

// Opens (and migrates) a SQLite database. Errors:
//   NotFound            the file is missing (kExistingOnly);
//   FailedPrecondition  the file is not a SQLite database, is another application's, or
//                       was written by a newer Safeguard (its schema version is higher);
//   Unavailable         the file cannot be opened (permissions, a directory, locked).
// Messages name the path's role ("database file"), not its contents.
core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode);

}  // namespace sg::storage
