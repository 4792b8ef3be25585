// The single writer connection, shared by write transactions through group commit.
//
// SQLite allows one writer at a time. Group commit keeps the one-writer rule but shares the
// fsync: each write transaction runs inside a SAVEPOINT of an outer transaction (the batch).
// A transaction that finishes while another is waiting for the connection hands it on
// without committing; the last in line commits the batch. Each caller's commit returns only
// once its own changes are durable, or with the error that failed its batch; a rolled-back
// transaction undoes only its own savepoint.
//
// The fsync happens outside the writer's turn, on the writer's own syncing thread. On a WAL
// database the connection runs with synchronous=NORMAL, so COMMIT appends the batch's frames
// to the WAL without waiting for the disk; the syncing thread then calls fdatasync on the WAL
// file itself, and one fdatasync covers every batch committed before it began. Nobody is told
// a write succeeded before the fdatasync that covers it returns, which is what
// synchronous=FULL promises. The difference: other connections may read a batch for the
// length of one fdatasync before it is durable.
//
// While an fdatasync is in progress, ending a batch would not make it durable any sooner:
// its own fdatasync must wait for the one running. So the batch stays open, and every
// transaction released meanwhile joins it; the syncing thread commits it when the disk is
// free. A COMMIT writes each changed page once, however many transactions changed it, so
// fuller batches make each transaction's share of the turn shorter (docs/benchmarks.md).
//
// If an fdatasync fails, the batches it covered report the error and the writer refuses all
// further writes (the page cache can no longer be trusted to match the disk); restart after
// fixing the storage. A database not in WAL mode (or in memory) keeps SQLite's own syncing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/turn.h"

namespace sg::storage::sqlite {

class Writer {
 public:
  // `max_batch` caps how many transactions share one commit, so a steady stream of writers
  // cannot postpone durability indefinitely. `before_sync`, if set, runs before each
  // fdatasync of the WAL, on the syncing thread: tests use it to hold a sync in progress.
  explicit Writer(std::unique_ptr<Connection> connection, int max_batch = 128,
                  std::function<void()> before_sync = {});
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

  // For tests and metrics: threads blocked in acquire(), batches committed and fdatasyncs
  // of the WAL so far, and whether this writer syncs the WAL itself.
  int waiting() const { return waiting_.load(); }
  std::uint64_t commits() const { return commits_.load(); }
  std::uint64_t syncs() const { return syncs_.load(); }
  bool syncs_wal_itself() const { return !wal_path_.empty(); }

 private:
  // Under the turn: ends the batch when nobody is waiting to add to it and the disk is free
  // (or it is full), and releases the connection.
  void hand_on();
  // Under the turn: COMMIT (or ROLLBACK) the batch and number it. Returns its number.
  std::uint64_t end_batch();
  // The syncing thread (WAL mode only): commits batches left open while the disk was busy,
  // and makes ended batches durable, until the writer is destroyed.
  void sync_loop();
  // Wakes the syncing thread after `change` (run under sync_mutex_).
  template <typename Change>
  void tell_syncer(Change change) {
    {
      std::lock_guard lock(sync_mutex_);
      change();
    }
    sync_wake_.notify_one();
  }
  core::Status sync_wal();
  void record_failure(std::uint64_t batch, const core::Error& error);
  core::Status run(const std::string& sql);

  std::unique_ptr<Connection> connection_;
  const int max_batch_;
  // The WAL file this writer fdatasyncs; empty when SQLite syncs by itself.
  std::string wal_path_;
  const std::function<void()> before_sync_;
  Turn turn_;  // Held by the transaction using the connection.
  std::atomic<int> waiting_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> syncs_{0};
  // Guarded by turn_.
  bool batch_open_ = false;
  int pending_ = 0;          // Transactions released into the open batch.
  std::uint64_t batch_ = 1;  // The batch being filled.
  // Batches 1..ended_ have committed, failed or held nothing; written_ is the newest that
  // committed changes. Written under turn_, read by the syncing thread.
  std::atomic<std::uint64_t> ended_{0};
  std::atomic<std::uint64_t> written_{0};
  // Batches 1..durable_ are durable or failed: their callers may return.
  std::atomic<std::uint64_t> durable_{0};
  // True while the syncing thread is committing a batch left open or syncing the WAL.
  std::atomic<bool> disk_busy_{false};
  std::mutex sync_mutex_;  // Guards left_open_ and stop_, for sync_wake_.
  std::condition_variable sync_wake_;
  bool left_open_ = false;  // A batch holding released transactions awaits the syncing thread.
  bool stop_ = false;
  int wal_fd_ = -1;  // Used by the syncing thread only, as is wal_inode_.
  std::uint64_t wal_inode_ = 0;
  // Set once an fdatasync has failed: every later write is refused with this error.
  std::atomic<bool> broken_{false};
  std::atomic<bool> any_failure_{false};
  std::mutex failures_mutex_;
  std::map<std::uint64_t, core::Error> failures_;  // Guarded by failures_mutex_.
  std::optional<core::Error> broken_error_;        // Guarded by failures_mutex_.
  std::thread syncer_;  // Last: it starts once everything above is ready.
};

}  // namespace sg::storage::sqlite
