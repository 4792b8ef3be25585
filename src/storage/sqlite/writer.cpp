#include "storage/sqlite/writer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <utility>

namespace sg::storage::sqlite {
namespace {

// Transaction control, prepared once and reused from the connection's statement cache.
const std::string kBegin = "BEGIN IMMEDIATE";
const std::string kSavepoint = "SAVEPOINT sg_write";
const std::string kRelease = "RELEASE sg_write";
const std::string kCommit = "COMMIT";

core::Error sync_error(const char* what) {
  // errno names the cause (EIO, ENOSPC...) without naming any file or content.
  return core::unavailable(std::string("the database could not make writes durable (") + what +
                           ": " + std::to_string(errno) +
                           "); writes are refused until Safeguard is restarted");
}

}  // namespace

Writer::Writer(std::unique_ptr<Connection> connection, int max_batch,
               std::function<core::Status()> before_sync, Checkpoints checkpoints, int max_syncs)
    : connection_(std::move(connection)),
      max_batch_(max_batch),
      max_syncs_(std::max(max_syncs, 1)),
      before_sync_(std::move(before_sync)),
      checkpoints_(checkpoints) {
  // Sync the WAL ourselves only for a file database in WAL mode; otherwise SQLite's own
  // synchronous setting stands.
  const char* file = sqlite3_db_filename(connection_->raw(), "main");
  if (file == nullptr || *file == '\0') return;
  auto mode = connection_->prepare("PRAGMA journal_mode");
  if (!mode.ok()) return;
  auto row = mode->step();
  if (!row.ok() || !*row || mode->text(0) != "wal") return;
  if (!connection_->exec("PRAGMA synchronous = NORMAL").ok()) return;
  db_path_ = file;
  wal_path_ = db_path_ + "-wal";
  // Replaces SQLite's automatic checkpoint (see writer.h).
  sqlite3_wal_hook(connection_->raw(), &Writer::on_wal_commit, this);
  for (int i = 0; i < max_syncs_; ++i) syncers_.emplace_back([this] { sync_loop(); });
  checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

Writer::~Writer() {
  if (!syncers_.empty()) {
    {
      std::lock_guard lock(sync_mutex_);
      stop_ = true;
    }
    sync_wake_.notify_all();
    for (auto& syncer : syncers_) syncer.join();
  }
  if (checkpointer_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stop_checkpoints_ = true;
    }
    checkpoint_wake_.notify_one();
    checkpointer_.join();
  }
}

Writer::WalFile::~WalFile() {
  if (fd >= 0) ::close(fd);
}

core::Status Writer::run(const std::string& sql) {
  auto statement = SG_TRY(connection_->prepare(sql));
  return statement.run();
}

core::Status Writer::acquire() {
  ++waiting_;
  turn_.lock();
  --waiting_;
  if (broken_.load()) {
    turn_.unlock();
    std::lock_guard lock(failures_mutex_);
    return *broken_error_;
  }
  if (!batch_open_) {
    auto st = run(kBegin);
    if (!st.ok()) {
      turn_.unlock();
      return st;
    }
    batch_open_ = true;
  }
  auto st = run(kSavepoint);
  if (!st.ok()) {
    hand_on();
    return st;
  }
  return {};
}

core::Status Writer::commit() {
  auto st = run(kRelease);
  if (!st.ok()) {
    rollback();
    return st;
  }
  ++pending_;
  const std::uint64_t mine = batch_;
  hand_on();
  for (auto durable = durable_.load(); durable < mine; durable = durable_.load()) {
    durable_.wait(durable);
  }
  if (any_failure_.load()) {
    std::lock_guard lock(failures_mutex_);
    auto failed = failures_.find(mine);
    if (failed != failures_.end()) return failed->second;
  }
  return {};
}

void Writer::rollback() {
  // Without its savepoint (SQLite may have rolled the whole batch back after an I/O
  // error) there is nothing of this transaction's left to undo.
  (void)connection_->exec("ROLLBACK TO sg_write; RELEASE sg_write");
  hand_on();
}

void Writer::hand_on() {
  std::uint64_t ended = 0;
  bool left_open = false;
  if (batch_open_) {
    if (pending_ >= max_batch_ || pending_ == 0 ||
        (waiting_.load() == 0 && syncs_running_.load() < max_syncs_)) {
      ended = end_batch();
    } else if (waiting_.load() == 0) {
      left_open = true;  // A syncing thread commits it once a sync finishes.
    }
  }
  turn_.unlock();
  if (wal_path_.empty()) return;
  if (ended != 0) {
    make_durable(ended);
  } else if (left_open) {
    {
      std::lock_guard lock(sync_mutex_);
      left_open_ = true;
    }
    sync_wake_.notify_one();
  }
}

std::uint64_t Writer::end_batch() {
  core::Status st;
  bool wrote = false;
  if (sqlite3_get_autocommit(connection_->raw()) != 0) {
    // SQLite ends a transaction by itself after some errors (SQLITE_FULL, SQLITE_IOERR...):
    // everything released into this batch is gone.
    st = core::unavailable("the database rolled back a batch of writes after an error");
  } else if (pending_ > 0) {
    if (batch_hook_) st = batch_hook_(true);
    if (st.ok()) st = run(kCommit);
    if (st.ok()) {
      ++commits_;
      wrote = true;
    } else {
      (void)connection_->exec("ROLLBACK");
    }
  } else {
    (void)connection_->exec("ROLLBACK");
  }
  if (!wrote && batch_hook_) (void)batch_hook_(false);
  const std::uint64_t batch = batch_++;
  if (!st.ok() && pending_ > 0) record_failure(batch, st.error());
  batch_open_ = false;
  pending_ = 0;
  if (wrote) written_.store(batch);
  ended_.store(batch);
  if (wal_path_.empty()) {
    // SQLite synced the COMMIT itself.
    durable_.store(batch);
    durable_.notify_all();
  }
  return batch;
}

void Writer::make_durable(std::uint64_t batch) {
  std::unique_lock lock(sync_mutex_);
  // A sync that began after this batch ended covers it.
  sync_done_.wait(lock, [&] { return started_through_ >= batch || running_ < max_syncs_; });
  if (started_through_ < batch) sync(lock);
}

void Writer::sync(std::unique_lock<std::mutex>& lock) {
  // Every batch up to `through` has finished its COMMIT, so its WAL frames are written.
  const std::uint64_t through = ended_.load();
  const std::uint64_t written = written_.load();
  // Nothing to sync if no batch since the last sync started wrote anything (rollbacks,
  // failed commits); the batches still retire in order.
  const bool needed = written > started_written_;
  started_through_ = std::max(started_through_, through);
  started_written_ = std::max(started_written_, written);
  const std::uint64_t number = first_sync_ + syncs_in_progress_.size();
  syncs_in_progress_.push_back({.through = through});
  syncs_running_.store(++running_);
  lock.unlock();
  const core::Status st = needed ? sync_wal() : core::Status{};
  lock.lock();
  Sync& mine = syncs_in_progress_[number - first_sync_];
  mine.done = true;
  if (!st.ok()) mine.error = st.error();
  syncs_running_.store(--running_);
  // Retire, in the order they started, every sync whose predecessors have all finished.
  const std::uint64_t was_durable = durable_.load();
  while (!syncs_in_progress_.empty() && syncs_in_progress_.front().done) {
    const Sync& front = syncs_in_progress_.front();
    if (front.error && !broken_.load()) {
      std::lock_guard failures_lock(failures_mutex_);
      broken_error_ = *front.error;
      broken_.store(true);
    }
    const std::uint64_t durable = durable_.load();
    if (front.through > durable) {
      if (broken_.load()) {
        // Unknown whether these reached the disk: each reports the error.
        std::optional<core::Error> error;
        {
          std::lock_guard failures_lock(failures_mutex_);
          error = broken_error_;
        }
        for (auto b = durable + 1; b <= front.through; ++b) record_failure(b, *error);
      }
      durable_.store(front.through);
    }
    syncs_in_progress_.pop_front();
    ++first_sync_;
  }
  if (durable_.load() != was_durable) {
    durable_.notify_all();
    request_checkpoint_if_due();
  }
  sync_done_.notify_all();
  if (left_open_) sync_wake_.notify_one();
}

void Writer::request_checkpoint_if_due() {
  // A restart since the latest checkpoint leaves fewer frames than it had copied.
  const int frames = wal_frames_.load();
  const int copied = copied_frames_.load();
  if (frames - (frames < copied ? 0 : copied) >= checkpoints_.background_frames) {
    {
      std::lock_guard checkpoint_lock(checkpoint_mutex_);
      checkpoint_due_ = true;
    }
    checkpoint_wake_.notify_one();
  }
}

void Writer::sync_loop() {
  std::unique_lock lock(sync_mutex_);
  for (;;) {
    sync_wake_.wait(lock, [this] { return stop_ || (left_open_ && running_ < max_syncs_); });
    if (stop_) return;
    left_open_ = false;
    // The slot this thread's sync will take is held while it commits the batch, so that no
    // more than max_syncs_ run meanwhile (and writers keep joining the open batch).
    syncs_running_.store(++running_);
    lock.unlock();
    turn_.lock();
    if (batch_open_ && pending_ > 0) (void)end_batch();
    turn_.unlock();
    lock.lock();
    syncs_running_.store(--running_);
    if (started_through_ < ended_.load()) {
      sync(lock);
    } else {
      sync_done_.notify_all();
    }
  }
}

int Writer::on_wal_commit(void* writer, sqlite3* db, const char* schema, int frames) {
  auto& self = *static_cast<Writer*>(writer);
  self.wal_frames_.store(frames);
  if (frames >= self.checkpoints_.restart_frames) {
    // Most frames were copied in the background: this copies the rest (SQLITE_BUSY while a
    // background checkpoint runs; the next COMMIT tries again).
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

void Writer::checkpoint_loop() {
  std::unique_ptr<Connection> connection;
  std::unique_lock lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wake_.wait(lock, [this] { return stop_checkpoints_ || checkpoint_due_; });
    if (stop_checkpoints_) return;
    checkpoint_due_ = false;
    lock.unlock();
    if (!connection) {
      // A connection learns that the database is in WAL mode from its first read; until
      // then a checkpoint through it does nothing. Without it, the restart checkpoint under
      // the turn still bounds the WAL.
      auto opened = Connection::open(db_path_, false);
      if (opened.ok() && (*opened)->exec("SELECT count(*) FROM sqlite_schema").ok()) {
        connection = std::move(opened).value();
      }
    }
    int log = -1, copied = -1;
    if (connection &&
        sqlite3_wal_checkpoint_v2(connection->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log,
                                  &copied) == SQLITE_OK &&
        copied >= 0) {
      copied_frames_.store(copied);
      ++background_checkpoints_;
    }
    lock.lock();
  }
}

core::Result<std::shared_ptr<Writer::WalFile>> Writer::wal_file() {
  std::lock_guard lock(wal_file_mutex_);
  struct stat by_path {};
  if (::stat(wal_path_.c_str(), &by_path) != 0) return sync_error("stat");
  const auto inode = static_cast<std::uint64_t>(by_path.st_ino);
  if (wal_file_ && wal_file_->inode == inode) return wal_file_;
  // First sync, or SQLite made a new WAL file: open it, and sync its directory entry before
  // any sync of the file may report success. A sync still in progress on the old file keeps
  // it open until it finishes.
  auto file = std::make_shared<WalFile>();
  file->fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd < 0) return sync_error("open");
  file->inode = inode;
  auto dir = std::filesystem::path(wal_path_).parent_path();
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return sync_error("open directory");
  const int rc = ::fsync(dir_fd);
  ::close(dir_fd);
  if (rc != 0) return sync_error("fsync directory");
  wal_file_ = file;
  return file;
}

core::Status Writer::sync_wal() {
  auto file = SG_TRY(wal_file());
  if (before_sync_) SG_TRY(before_sync_());
  if (::fdatasync(file->fd) != 0) return sync_error("fdatasync");
  ++syncs_;
  return {};
}

void Writer::record_failure(std::uint64_t batch, const core::Error& error) {
  std::lock_guard lock(failures_mutex_);
  failures_.emplace(batch, error);
  // A caller reads its batch's failure right after waking; older entries are stale.
  while (!failures_.empty() && failures_.begin()->first + 4096 < batch) {
    failures_.erase(failures_.begin());
  }
  any_failure_.store(true);
}

}  // namespace sg::storage::sqlite
