#include "storage/sqlite/writer.h"

#include <sqlite3.h>

namespace sg::storage::sqlite {

core::Status Writer::acquire() {
  ++waiting_;
  turn_.lock();
  --waiting_;
  if (!batch_open_) {
    auto st = connection_->exec("BEGIN IMMEDIATE");
    if (!st.ok()) {
      turn_.unlock();
      return st;
    }
    batch_open_ = true;
  }
  auto st = connection_->exec("SAVEPOINT sg_write");
  if (!st.ok()) {
    hand_on();
    return st;
  }
  return {};
}

core::Status Writer::commit() {
  auto st = connection_->exec("RELEASE sg_write");
  if (!st.ok()) {
    rollback();
    return st;
  }
  ++pending_;
  std::uint64_t mine = 0;
  {
    std::lock_guard lock(state_);
    mine = batch_;
  }
  hand_on();
  std::unique_lock lock(state_);
  settled_cv_.wait(lock, [&] { return settled_ >= mine; });
  auto failed = failures_.find(mine);
  if (failed != failures_.end()) return failed->second;
  return {};
}

void Writer::rollback() {
  // Without its savepoint (SQLite may have rolled the whole batch back after an I/O
  // error) there is nothing of this transaction's left to undo.
  (void)connection_->exec("ROLLBACK TO sg_write; RELEASE sg_write");
  hand_on();
}

void Writer::hand_on() {
  if (batch_open_ && (waiting_.load() == 0 || pending_ >= max_batch_)) settle();
  turn_.unlock();
}

void Writer::settle() {
  core::Status st;
  if (sqlite3_get_autocommit(connection_->raw()) != 0) {
    // SQLite ends a transaction by itself after some errors (SQLITE_FULL, SQLITE_IOERR...):
    // everything released into this batch is gone.
    st = core::unavailable("the database rolled back a batch of writes after an error");
  } else if (pending_ > 0) {
    st = connection_->exec("COMMIT");
    if (st.ok()) {
      ++commits_;
    } else {
      (void)connection_->exec("ROLLBACK");
    }
  } else {
    (void)connection_->exec("ROLLBACK");
  }
  batch_open_ = false;
  {
    std::lock_guard lock(state_);
    if (!st.ok() && pending_ > 0) failures_.emplace(batch_, st.error());
    settled_ = batch_++;
    // A caller reads its batch's failure right after waking; older entries are stale.
    while (!failures_.empty() && failures_.begin()->first + 4096 < settled_) {
      failures_.erase(failures_.begin());
    }
  }
  pending_ = 0;
  settled_cv_.notify_all();
}

}  // namespace sg::storage::sqlite
