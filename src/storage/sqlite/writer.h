// The single writer connection, shared by write transactions through group commit.
//
// SQLite allows one writer at a time. Group commit keeps the one-writer rule but shares the
// fsync: each write transaction runs inside a SAVEPOINT of an outer transaction (the batch).
// A transaction that finishes while another is waiting for the connection hands it on
// without committing; the last in line commits the batch. Each caller's commit returns only
// once its own changes are durable, or with the error that failed its batch; a rolled-back
// transaction undoes only its own savepoint.
//
// The fsync happens outside the writer's turn. On a WAL database the connection runs with
// synchronous=NORMAL, so COMMIT appends the batch's frames to the WAL without waiting for the
// disk; the thread that ended the batch then hands the connection on and calls fdatasync on
// the WAL file itself, and one fdatasync covers every batch committed before it began.
// Nobody is told a write succeeded before the fdatasync that covers it returns, which is what
// synchronous=FULL promises. The difference: other connections may read a batch for the
// length of one fdatasync before it is durable.
//
// Up to `max_syncs` fdatasyncs run at once. Most of an fdatasync's time is the disk's cache
// flush, and the kernel's block layer merges flushes requested while one is in flight, so a
// second sync started during the first finishes soon after it rather than a whole flush
// later (docs/benchmarks.md). Once that many are running, ending a batch would not make it
// durable any sooner: the batch stays open, and every transaction released meanwhile joins
// it; a syncing thread commits and syncs it as soon as a sync finishes. A COMMIT writes each
// changed page once, however many transactions changed it, so fuller batches make each
// transaction's share of the turn shorter.
//
// Syncs may finish in any order, but batches become durable in order: a batch is reported
// durable only once every sync started before the one covering it has also succeeded. (Linux
// reports a failed write-back to one fdatasync of a file only, and the WAL is a chain: frames
// after lost ones are useless.)
//
// Checkpoints (copying the WAL back into the database file, two fsyncs) happen on a thread of
// their own, through a connection of its own, so that they delay neither the turn nor the next
// fdatasync of the WAL, once the WAL holds `Checkpoints::background_frames` frames not yet
// copied: SQLite's automatic checkpoint would run them inside a COMMIT, holding the turn for
// as long as both fsyncs take. The WAL file is only reused from its start once a write
// begins with every frame copied, which a stream of batches seldom allows, so once it
// reaches `Checkpoints::restart_frames` the committing transaction checkpoints what little is
// left under the turn, and the next batch restarts it.
//
// If an fdatasync fails, the batches it covered, and every batch not yet reported durable,
// report the error, and the writer refuses all further writes (the page cache can no longer be
// trusted to match the disk); restart after fixing the storage. A database not in WAL mode (or in
// memory) keeps SQLite's own syncing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/turn.h"

namespace sg::storage::sqlite {

// When the WAL is copied back into the database file (see above). In frames (pages).
struct Checkpoints {
  int background_frames = 1000;  // SQLite's own automatic checkpoint threshold.
  int restart_frames = 8192;     // A 32 MB WAL with 4 KB pages.
};

class Writer {
 public:
  static constexpr int kDefaultSyncs = 2;

  // `max_batch` caps how many transactions share one commit, so a steady stream of writers
  // cannot postpone durability indefinitely. `before_sync`, if set, runs before each
  // fdatasync of the WAL, outside the turn, and an error it returns fails that sync: tests
  // use it to hold a sync in progress, or to stand for a disk that fails.
  // `max_syncs` fdatasyncs of the WAL may be in progress at once (see above).
  explicit Writer(std::unique_ptr<Connection> connection, int max_batch = 128,
                  std::function<core::Status()> before_sync = {}, Checkpoints checkpoints = {},
                  int max_syncs = kDefaultSyncs);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Blocks until the calling thread holds the connection, then opens the batch if none is
  // open and a savepoint for this transaction. On error the connection is not held.
  core::Status acquire();
  // REQUIRES: the calling thread holds the connection (acquire succeeded).
  Connection& connection() { return *connection_; }
  // Releases this transaction's savepoint into the batch and hands the connection on.
  // Returns once the batch holding it is durable (OK) or has failed (its error). Either way
  // the connection is no longer held.
  core::Status commit();
  // Undoes this transaction's changes only, and hands the connection on.
  void rollback();

  // Work done once per batch instead of once per transaction. `hook(true)` runs under the
  // turn just before a batch that holds released transactions commits, outside their
  // savepoints; an error rolls the batch back and is what its transactions report.
  // `hook(false)` runs when a batch ends without committing, so the work can be dropped. Set
  // it before the first transaction. The store indexes narratives this way
  // (sqlite_store.cpp, Pool::index_batch_text).
  void set_batch_hook(std::function<core::Status(bool commit)> hook) {
    batch_hook_ = std::move(hook);
  }

  // For tests and metrics: threads blocked in acquire(), batches committed and fdatasyncs
  // of the WAL so far, and whether this writer syncs the WAL itself.
  int waiting() const { return waiting_.load(); }
  std::uint64_t commits() const { return commits_.load(); }
  std::uint64_t syncs() const { return syncs_.load(); }
  std::uint64_t background_checkpoints() const { return background_checkpoints_.load(); }
  bool syncs_wal_itself() const { return !wal_path_.empty(); }

 private:
  // One fdatasync of the WAL, from start to retirement (see sync()).
  struct Sync {
    std::uint64_t through;  // Every batch up to this one had ended when it started.
    bool done = false;
    std::optional<core::Error> error;
  };
  // The WAL file as opened for syncing: kept open across syncs, so that a write-back error
  // is reported to this descriptor, and shared by the syncs in progress.
  struct WalFile {
    int fd = -1;
    std::uint64_t inode = 0;
    ~WalFile();
  };

  // Under the turn: ends the batch when nobody is waiting to add to it and a sync could
  // start (or it is full), and releases the connection.
  void hand_on();
  // Under the turn: COMMIT (or ROLLBACK) the batch and number it. Returns its number.
  std::uint64_t end_batch();
  // Outside the turn, by the thread that ended `batch`: returns once a sync covering it has
  // finished or is in progress on another thread; its caller then waits on durable_.
  void make_durable(std::uint64_t batch);
  // REQUIRES: `lock` holds sync_mutex_ and fewer than max_syncs_ syncs run. Syncs every
  // batch ended so far (unlocking meanwhile), then retires what finished in order.
  void sync(std::unique_lock<std::mutex>& lock);
  // The syncing threads (WAL mode only): commit the batch left open while max_syncs_ syncs
  // were running, once one finishes, and make it durable, until the writer is destroyed.
  void sync_loop();
  core::Status sync_wal();
  core::Result<std::shared_ptr<WalFile>> wal_file();
  // The checkpointing thread (WAL mode only): copies the WAL into the database file each
  // time a sync finds enough frames waiting, until the writer is destroyed.
  void checkpoint_loop();
  void request_checkpoint_if_due();
  // SQLite's WAL hook on the writer connection, after each COMMIT, under the turn.
  static int on_wal_commit(void* writer, sqlite3* db, const char* schema, int frames);
  void record_failure(std::uint64_t batch, const core::Error& error);
  core::Status run(const std::string& sql);

  std::unique_ptr<Connection> connection_;
  const int max_batch_;
  const int max_syncs_;
  // The WAL file this writer fdatasyncs; empty when SQLite syncs by itself.
  std::string wal_path_;
  std::string db_path_;
  const std::function<core::Status()> before_sync_;
  std::function<core::Status(bool commit)> batch_hook_;  // Runs under turn_.
  const Checkpoints checkpoints_;
  std::atomic<int> wal_frames_{0};  // Frames in the WAL after the latest COMMIT.
  // Frames of the WAL copied by the latest background checkpoint (0 after a restart).
  std::atomic<int> copied_frames_{0};
  std::atomic<std::uint64_t> background_checkpoints_{0};
  std::mutex checkpoint_mutex_;  // Guards checkpoint_due_ and stop_checkpoints_.
  std::condition_variable checkpoint_wake_;
  bool checkpoint_due_ = false;
  bool stop_checkpoints_ = false;
  Turn turn_;  // Held by the transaction using the connection.
  std::atomic<int> waiting_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> syncs_{0};
  // Guarded by turn_.
  bool batch_open_ = false;
  int pending_ = 0;          // Transactions released into the open batch.
  std::uint64_t batch_ = 1;  // The batch being filled.
  // Batches 1..ended_ have committed, failed or held nothing; written_ is the newest that
  // committed changes. Written under turn_, read by whoever syncs.
  std::atomic<std::uint64_t> ended_{0};
  std::atomic<std::uint64_t> written_{0};
  // Batches 1..durable_ are durable or failed: their callers may return. Written under
  // sync_mutex_.
  std::atomic<std::uint64_t> durable_{0};
  // How many syncs are in progress, for hand_on's decision (a copy of running_).
  std::atomic<int> syncs_running_{0};
  std::mutex sync_mutex_;              // Guards everything down to stop_.
  std::condition_variable sync_wake_;  // For the syncing threads: left_open_ or stop_.
  std::condition_variable sync_done_;  // A sync finished: one more may start.
  int running_ = 0;
  std::deque<Sync>
      syncs_in_progress_;         // In the order they started; done ones retire from the front.
  std::uint64_t first_sync_ = 0;  // The number of the front one.
  std::uint64_t started_through_ = 0;  // Batches up to this one are covered by a started sync.
  std::uint64_t started_written_ = 0;  // written_ when that sync started.
  bool left_open_ = false;  // A batch holding released transactions awaits a syncing thread.
  bool stop_ = false;
  std::mutex wal_file_mutex_;
  std::shared_ptr<WalFile> wal_file_;  // Guarded by wal_file_mutex_.
  // Set once an fdatasync has failed: every later write is refused with this error.
  std::atomic<bool> broken_{false};
  std::atomic<bool> any_failure_{false};
  std::mutex failures_mutex_;
  std::map<std::uint64_t, core::Error> failures_;  // Guarded by failures_mutex_.
  std::optional<core::Error> broken_error_;        // Guarded by failures_mutex_.
  // Last: they start once everything above is ready.
  std::vector<std::thread> syncers_;
  std::thread checkpointer_;
};

}  // namespace sg::storage::sqlite
