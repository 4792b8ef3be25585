#include "storage/sqlite/connection.h"

#include <sqlite3.h>

#include <string>

namespace sg::storage::sqlite {

core::Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return core::already_exists(message);
      }
      return core::failed_precondition(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::unavailable(message);
    case SQLITE_CORRUPT:
      return core::data_loss(message);
    case SQLITE_NOTADB:
      return core::failed_precondition(std::string(what) + ": the file is not a SQLite database");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return core::unavailable(message);
    default:
      (void)db;
      return core::internal(message);
  }
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, sqlite3_extended_errcode(db_), "database statement failed");
}

core::Status Statement::run() {
  auto row = SG_TRY(step());
  if (row) return core::internal("statement unexpectedly returned rows");
  return {};
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, rc, "cannot open the database file");
    sqlite3_close(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

core::Status Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    return sqlite_error(db_, sqlite3_extended_errcode(db_), "database command failed");
  }
  return {};
}

core::Result<Statement> Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return sqlite_error(db_, sqlite3_extended_errcode(db_), "cannot prepare statement");
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(db_, it->second);
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

}  // namespace sg::storage::sqlite
