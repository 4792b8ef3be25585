// The single writer connection, shared by write transactions through group commit.
//
// SQLite allows one writer at a time, and with synchronous=FULL every COMMIT waits for an
// fsync. Group commit keeps the one-writer rule but shares the fsync: each write
// transaction runs inside a SAVEPOINT of an outer transaction (the batch). A transaction
// that finishes while another is waiting for the connection hands it on without
// committing; the last in line commits the batch, making every transaction in it durable
// with one fsync. Each caller's commit returns only once its own changes are durable, or
// with the error that failed its batch; a rolled-back transaction undoes only its own
// savepoint. Other connections see a batch's changes only once it commits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "core/result.h"
#include "storage/sqlite/connection.h"

namespace sg::storage::sqlite {

class Writer {
 public:
  // `max_batch` caps how many transactions share one commit, so a steady stream of writers
  // cannot postpone durability indefinitely.
  explicit Writer(std::unique_ptr<Connection> connection, int max_batch = 128)
      : connection_(std::move(connection)), max_batch_(max_batch) {}

  // Blocks until the calling thread holds the connection, then opens the batch if none is
  // open and a savepoint for this transaction. On error the connection is not held.
  core::Status acquire();
  // REQUIRES: the calling thread holds the connection (acquire succeeded).
  Connection& connection() { return *connection_; }
  // Releases this transaction's savepoint into the batch and hands the connection on.
  // Returns once the batch holding it has committed (OK) or failed (its error). Either way
  // the connection is no longer held.
  core::Status commit();
  // Undoes this transaction's changes only, and hands the connection on.
  void rollback();

  // For tests and metrics: threads blocked in acquire(), and batches committed so far.
  int waiting() const { return waiting_.load(); }
  std::uint64_t commits() const { return commits_.load(); }

 private:
  // Commits the batch when nobody is waiting to add to it (or it is full); then releases
  // the connection.
  void hand_on();
  // Ends the batch: COMMIT when it holds transactions, and tells their callers how it went.
  void settle();

  std::unique_ptr<Connection> connection_;
  const int max_batch_;
  std::mutex turn_;  // Held by the transaction using the connection.
  std::atomic<int> waiting_{0};
  std::atomic<std::uint64_t> commits_{0};
  // Guarded by turn_.
  bool batch_open_ = false;
  int pending_ = 0;  // Transactions released into the open batch.
  // Guarded by state_.
  std::mutex state_;
  std::condition_variable settled_cv_;
  std::uint64_t batch_ = 1;    // The batch being filled.
  std::uint64_t settled_ = 0;  // Batches 1..settled_ have committed or failed.
  std::map<std::uint64_t, core::Error> failures_;
};

}  // namespace sg::storage::sqlite
