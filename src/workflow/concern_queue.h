// The hand-over between the two threads of a bulk import: the reading thread parses and
// validates concerns and pushes them in batches; the writing thread pops and records them.
// Batches keep the threads from waking each other for every concern; the bound keeps a large
// file from sitting in memory twice over.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/concern.h"

namespace sg::workflow {

// Thread-safe for one pushing and one popping thread.
class ConcernQueue {
 public:
  // A validated concern and its document as stored (serialised on the reading thread).
  struct Item {
    domain::Concern concern;
    std::string body;
  };
  using Batch = std::vector<Item>;
  // At most `capacity` batches wait to be popped.
  explicit ConcernQueue(std::size_t capacity = 4) : capacity_(capacity) {}

  // Adds a batch of concerns, waiting while the queue is full.
  // REQUIRES: finish() has not been called.
  void push(Batch batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // Ends the input: OK when every concern was pushed, or the error that stops the import.
  void finish(core::Status status) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
    finished_ = true;
    not_empty_.notify_one();
  }
  // The next batch, waiting for one; std::nullopt once the input has ended and every batch
  // has been popped (outcome() then says how it ended).
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || finished_; });
    if (items_.empty()) return std::nullopt;
    Batch batch = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return batch;
  }
  // How the input ended. REQUIRES: pop() has returned std::nullopt.
  const core::Status& outcome() const { return status_; }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> items_;
  bool finished_ = false;
  core::Status status_;
};

}  // namespace sg::workflow
