// A thin RAII wrapper over one sqlite3 connection with a prepared-statement cache.
// Only storage/sqlite includes <sqlite3.h>.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sg::storage::sqlite {

// A prepared statement borrowed from the connection's cache. Reset and unbound on
// destruction so the next user starts clean.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);

  // Steps once. Returns true when a row is available, false when done.
  core::Result<bool> step();
  // Steps to completion, expecting no rows.
  core::Status run();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens the file. `create` allows creating a new file.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path, bool create);
  ~Connection();

  // Executes one or more statements with no parameters and no rows.
  core::Status exec(std::string_view sql);
  // Returns a cached prepared statement for `sql`, keyed by its text.
  core::Result<Statement> prepare(const std::string& sql);
  std::int64_t changes() const;

  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Maps a SQLite result code to an Error. Constraint failures become AlreadyExists or
// FailedPrecondition; busy/locked become Unavailable; corruption becomes DataLoss.
core::Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace sg::storage::sqlite
