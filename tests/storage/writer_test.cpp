#include "storage/sqlite/writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace sg::storage::sqlite {
namespace {

using testing::TempDir;

// Holds the writer's next fdatasync in progress until opened, so a test can tell what
// happens to transactions that arrive while the disk is busy.
class DiskGate {
 public:
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      closed_ = false;
    }
    changed_.notify_all();
  }
  // The writer's before_sync hook.
  core::Status pass() {
    std::unique_lock lock(mutex_);
    ++arrived_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !closed_; });
    return {};
  }
  void wait_for_sync_in_progress() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return arrived_ > 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool closed_ = false;
  int arrived_ = 0;
};

struct WriterTest : ::testing::Test {
  TempDir dir;
  std::string path = dir.file("w.db");
  DiskGate disk;
  std::unique_ptr<Writer> writer;

  void SetUp() override {
    auto conn = Connection::open(path, true).value();
    ASSERT_TRUE(conn->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)").ok());
    // One sync at a time: a sync held in progress keeps the disk busy.
    writer = std::make_unique<Writer>(
        std::move(conn), 128, [this] { return disk.pass(); }, Checkpoints{}, 1);
  }

  // Reads through a second connection, as other transactions would.
  std::vector<std::int64_t> committed_rows() {
    auto conn = Connection::open(path, false).value();
    auto s = conn->prepare("SELECT x FROM t ORDER BY x").value();
    std::vector<std::int64_t> out;
    while (s.step().value()) out.push_back(s.integer(0));
    return out;
  }

  void insert(std::int64_t x) {
    ASSERT_TRUE(writer->connection().exec("INSERT INTO t VALUES (" + std::to_string(x) + ")").ok());
  }

  void wait_for_waiters(int n) {
    for (int i = 0; i < 5000 && writer->waiting() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(writer->waiting(), n);
  }

  void wait_for_commits(std::uint64_t n) {
    for (int i = 0; i < 5000 && writer->commits() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  // On its own thread: takes the turn, inserts `x`, and commits once another writer is
  // waiting. Returns after the turn is taken.
  std::thread insert_and_commit_once_another_waits(std::int64_t x) {
    std::atomic<bool> holds_the_turn{false};
    std::thread writer_thread([this, x, &holds_the_turn] {
      ASSERT_TRUE(writer->acquire().ok());
      insert(x);
      holds_the_turn = true;
      wait_for_waiters(1);
      EXPECT_TRUE(writer->commit().ok());
    });
    while (!holds_the_turn) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return writer_thread;
  }

  // Commits a transaction inserting `x` on its own thread, and holds its fdatasync in
  // progress: what arrives next finds the disk busy.
  std::thread commit_and_hold_the_disk(std::int64_t x) {
    disk.close();
    std::thread first([this, x] {
      EXPECT_TRUE(writer->acquire().ok());
      insert(x);
      EXPECT_TRUE(writer->commit().ok());
    });
    disk.wait_for_sync_in_progress();
    return first;
  }
};

TEST_F(WriterTest, ALoneTransactionCommitsAtOnce) {
  ASSERT_TRUE(writer->acquire().ok());
  insert(1);
  ASSERT_TRUE(writer->commit().ok());
  EXPECT_EQ(committed_rows(), std::vector<std::int64_t>{1});
  EXPECT_EQ(writer->commits(), 1u);
  EXPECT_EQ(writer->syncs(), 1u);
}

TEST_F(WriterTest, AWaitingWriterJoinsTheBatchAndTheLastInLineCommitsIt) {
  ASSERT_TRUE(writer->acquire().ok());
  insert(1);
  std::thread second([&] {
    ASSERT_TRUE(writer->acquire().ok());
    // The first transaction was handed on, not committed: nobody else can see it yet.
    EXPECT_TRUE(committed_rows().empty());
    insert(2);
    EXPECT_TRUE(writer->commit().ok());
  });
  wait_for_waiters(1);
  // Returns only when the second transaction has committed the shared batch.
  ASSERT_TRUE(writer->commit().ok());
  second.join();
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(writer->commits(), 1u);
  EXPECT_EQ(writer->syncs(), 1u);
}

TEST_F(WriterTest, WhileTheDiskIsBusyTheNextBatchStaysOpenAndCommitsOnceItIsFree) {
  auto first = commit_and_hold_the_disk(1);
  // Three transactions arrive one after another while the fdatasync is in progress, none of
  // them waiting for another: ending a batch would not make it durable any sooner, so all
  // three join one batch.
  std::vector<std::thread> later;
  for (std::int64_t x = 2; x <= 4; ++x) {
    std::atomic<bool> released{false};
    later.emplace_back([this, x, &released] {
      ASSERT_TRUE(writer->acquire().ok());
      insert(x);
      released = true;  // commit() releases the savepoint, then waits to be durable.
      EXPECT_TRUE(writer->commit().ok());
    });
    while (!released) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    wait_for_waiters(0);
  }
  // Nothing of theirs is committed, let alone durable, while the disk is busy.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(writer->commits(), 1u);
  EXPECT_EQ(committed_rows(), std::vector<std::int64_t>{1});
  disk.open();
  first.join();
  for (auto& thread : later) thread.join();
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2, 3, 4}));
  // One COMMIT and one fdatasync for the three.
  EXPECT_EQ(writer->commits(), 2u);
  EXPECT_EQ(writer->syncs(), 2u);
}

TEST_F(WriterTest, ARollbackUndoesOnlyItsOwnTransactionInTheBatch) {
  auto first = commit_and_hold_the_disk(1);
  auto second = insert_and_commit_once_another_waits(2);
  std::thread third([&] {
    ASSERT_TRUE(writer->acquire().ok());
    insert(3);
    writer->rollback();
  });
  // The rolled-back transaction was the last in line; the batch commits without it once the
  // disk is free.
  third.join();
  disk.open();
  first.join();
  second.join();
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(writer->commits(), 2u);
  EXPECT_EQ(writer->syncs(), 2u);
}

TEST_F(WriterTest, TheBatchHookRunsOnceBeforeEachCommitAndItsWritesCommitWithTheBatch) {
  std::vector<bool> calls;
  writer->set_batch_hook([&](bool commit) {
    calls.push_back(commit);
    // Outside every transaction's savepoint: what it writes stands or falls with the batch.
    return commit ? writer->connection().exec("INSERT INTO t VALUES (100)") : core::Status{};
  });
  auto first = commit_and_hold_the_disk(1);
  auto second = insert_and_commit_once_another_waits(2);
  std::thread third([&] {
    ASSERT_TRUE(writer->acquire().ok());
    insert(3);
    EXPECT_TRUE(writer->commit().ok());
  });
  wait_for_waiters(0);
  disk.open();
  first.join();
  second.join();
  third.join();
  // One call for the first batch, one for the batch the second and third shared.
  EXPECT_EQ(calls, (std::vector<bool>{true, true}));
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2, 3, 100, 100}));
  // A batch that ends holding nothing is not committed: the hook is told to drop its work.
  ASSERT_TRUE(writer->acquire().ok());
  insert(4);
  writer->rollback();
  EXPECT_EQ(calls, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2, 3, 100, 100}));
}

TEST_F(WriterTest, WhenTheBatchHookFailsTheBatchRollsBackAndItsTransactionsReportTheError) {
  writer->set_batch_hook([](bool commit) {
    return commit ? core::Status{core::unavailable("the hook could not finish")} : core::Status{};
  });
  ASSERT_TRUE(writer->acquire().ok());
  insert(1);
  auto st = writer->commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "the hook could not finish");
  EXPECT_TRUE(committed_rows().empty());
}

TEST_F(WriterTest, ManyConcurrentWritersAllBecomeDurableInOrder) {
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_TRUE(writer->acquire().ok());
        insert(t * kEach + i);
        ASSERT_TRUE(writer->commit().ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto rows = committed_rows();
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kEach));
  for (int i = 0; i < kThreads * kEach; ++i) EXPECT_EQ(rows[static_cast<size_t>(i)], i);
}

TEST_F(WriterTest, ABatchHoldingOnlyARolledBackTransactionSyncsNothing) {
  ASSERT_TRUE(writer->syncs_wal_itself());
  ASSERT_TRUE(writer->acquire().ok());
  insert(1);
  ASSERT_TRUE(writer->commit().ok());
  EXPECT_EQ(writer->syncs(), 1u);
  ASSERT_TRUE(writer->acquire().ok());
  insert(2);
  writer->rollback();
  EXPECT_EQ(writer->syncs(), 1u);
  EXPECT_EQ(committed_rows(), std::vector<std::int64_t>{1});
}

TEST_F(WriterTest, WhenTheWalCannotBeSyncedTheCommitFailsAndLaterWritesAreRefused) {
  ASSERT_TRUE(writer->acquire().ok());
  insert(1);
  ASSERT_TRUE(writer->commit().ok());
  // The storage under the database is lost: the WAL the writer must sync is gone.
  std::filesystem::remove(path + "-wal");
  ASSERT_TRUE(writer->acquire().ok());
  insert(2);
  auto st = writer->commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kUnavailable);
  // Not knowing what reached the disk, the writer takes no more writes.
  auto again = writer->acquire();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Code::kUnavailable);
}

namespace {

// Holds chosen syncs of the WAL in progress, numbered in the order they start, and fails
// chosen ones: the before_sync hook of a writer that lets two syncs run at once.
class SyncScript {
 public:
  void hold(int sync) {
    std::lock_guard lock(mutex_);
    held_.insert(sync);
  }
  void fail(int sync) {
    std::lock_guard lock(mutex_);
    failing_.insert(sync);
  }
  void release(int sync) {
    {
      std::lock_guard lock(mutex_);
      held_.erase(sync);
    }
    changed_.notify_all();
  }
  core::Status pass() {
    std::unique_lock lock(mutex_);
    const int sync = ++started_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return held_.count(sync) == 0; });
    if (failing_.count(sync) != 0) return core::unavailable("the disk refused the write");
    return {};
  }
  void wait_for_start(int sync) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= sync; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<int> held_;
  std::set<int> failing_;
  int started_ = 0;
};

struct OverlappingSyncs : WriterTest {
  SyncScript script;

  void SetUp() override {
    auto conn = Connection::open(path, true).value();
    ASSERT_TRUE(conn->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)").ok());
    writer = std::make_unique<Writer>(
        std::move(conn), 128, [this] { return script.pass(); }, Checkpoints{}, 2);
  }

  // Commits a transaction inserting `x` on its own thread; `done` is set when commit()
  // returns, `status` holds what it returned.
  std::thread commit_in_background(std::int64_t x, std::atomic<bool>& done, core::Status& status) {
    std::atomic<bool> released{false};
    std::thread thread([this, x, &done, &status, &released] {
      ASSERT_TRUE(writer->acquire().ok());
      insert(x);
      released = true;
      status = writer->commit();
      done = true;
    });
    while (!released) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    wait_for_waiters(0);
    return thread;
  }
};

TEST_F(OverlappingSyncs, ASecondBatchSyncsDuringTheFirstButIsDurableOnlyAfterIt) {
  script.hold(1);
  std::atomic<bool> first_done{false}, second_done{false};
  core::Status first_status, second_status;
  auto first = commit_in_background(1, first_done, first_status);
  script.wait_for_start(1);
  // The first sync is in progress: the second batch commits and starts its own.
  auto second = commit_in_background(2, second_done, second_status);
  script.wait_for_start(2);
  for (int i = 0; i < 5000 && writer->syncs() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(writer->syncs(), 1u);  // The second sync finished while the first is held...
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(second_done);  // ...but its batch is not reported durable before the first.
  EXPECT_FALSE(first_done);
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2}));
  script.release(1);
  first.join();
  second.join();
  EXPECT_TRUE(first_status.ok());
  EXPECT_TRUE(second_status.ok());
  EXPECT_EQ(writer->commits(), 2u);
  EXPECT_EQ(writer->syncs(), 2u);
}

TEST_F(OverlappingSyncs, WhenAnEarlierSyncFailsTheLaterBatchFailsTooThoughItsOwnSyncSucceeded) {
  script.hold(1);
  script.fail(1);
  std::atomic<bool> first_done{false}, second_done{false};
  core::Status first_status, second_status;
  auto first = commit_in_background(1, first_done, first_status);
  script.wait_for_start(1);
  auto second = commit_in_background(2, second_done, second_status);
  script.wait_for_start(2);
  script.release(1);
  first.join();
  second.join();
  // Frames after lost ones are useless in a WAL: neither batch may be reported durable.
  ASSERT_FALSE(first_status.ok());
  ASSERT_FALSE(second_status.ok());
  EXPECT_EQ(second_status.error().code, core::Code::kUnavailable);
  auto again = writer->acquire();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Code::kUnavailable);
}

TEST_F(OverlappingSyncs, WhileTwoSyncsRunTheNextBatchStaysOpenAndCommitsWhenOneFinishes) {
  script.hold(1);
  script.hold(2);
  std::atomic<bool> done[4] = {false, false, false, false};
  core::Status status[4];
  std::vector<std::thread> threads;
  threads.push_back(commit_in_background(1, done[0], status[0]));
  script.wait_for_start(1);
  threads.push_back(commit_in_background(2, done[1], status[1]));
  script.wait_for_start(2);
  // Two syncs in progress: the next two transactions share one open batch.
  threads.push_back(commit_in_background(3, done[2], status[2]));
  threads.push_back(commit_in_background(4, done[3], status[3]));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(writer->commits(), 2u);
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2}));
  // The second sync finishes: a syncing thread commits the open batch and syncs it, but
  // nothing is durable while the first sync is held.
  script.release(2);
  script.wait_for_start(3);
  wait_for_commits(3);
  EXPECT_EQ(writer->commits(), 3u);
  for (auto& d : done) EXPECT_FALSE(d);
  script.release(1);
  for (auto& thread : threads) thread.join();
  for (auto& st : status) EXPECT_TRUE(st.ok());
  EXPECT_EQ(committed_rows(), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(writer->syncs(), 3u);
}

// Writes `rows` rows of about a page each, one transaction per row (two or three WAL frames).
void write_page_rows(Writer& writer, int rows) {
  for (int i = 0; i < rows; ++i) {
    ASSERT_TRUE(writer.acquire().ok());
    ASSERT_TRUE(writer.connection()
                    .exec("INSERT INTO t VALUES (" + std::to_string(i) + ", zeroblob(3000))")
                    .ok());
    ASSERT_TRUE(writer.commit().ok());
  }
}

std::int64_t count_rows(const std::string& path) {
  auto reader = Connection::open(path, false).value();
  auto count = reader->prepare("SELECT count(*) FROM t").value();
  EXPECT_TRUE(count.step().value());
  return count.integer(0);
}

std::unique_ptr<Connection> open_wal_table(const std::string& path) {
  auto conn = Connection::open(path, true).value();
  EXPECT_TRUE(conn->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER, pad BLOB)").ok());
  return conn;
}

}  // namespace

TEST(WriterCheckpoints, TheWalIsReusedFromItsStartOncePastTheRestartThreshold) {
  TempDir dir;
  const std::string path = dir.file("c.db");
  // No background checkpoints: only the checkpoint in the committing transaction runs, so the
  // bound does not depend on how the threads are scheduled.
  Writer writer(open_wal_table(path), 128, {},
                {.background_frames = std::numeric_limits<int>::max(), .restart_frames = 40});
  constexpr int kRows = 300;  // ~600 frames in all: ~2.4 MB of WAL without restarts.
  write_page_rows(writer, kRows);
  EXPECT_EQ(writer.background_checkpoints(), 0u);
  // Restarted at 40 frames, the WAL never holds much more than 40 frames of 4 KB pages.
  EXPECT_LT(std::filesystem::file_size(path + "-wal"), 50u * 4120u);
  EXPECT_EQ(count_rows(path), kRows);
}

TEST(WriterCheckpoints, CopyTheWalOffTheTurnOnTheirOwnThread) {
  TempDir dir;
  const std::string path = dir.file("c.db");
  Writer writer(open_wal_table(path), 128, {},
                {.background_frames = 10, .restart_frames = std::numeric_limits<int>::max()});
  write_page_rows(writer, 100);
  // The checkpointing thread runs when the scheduler lets it; wait for it (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (writer.background_checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(writer.background_checkpoints(), 0u);
  EXPECT_EQ(count_rows(path), 100);
}

TEST(WriterWithoutWal, LeavesSyncingToSqlite) {
  TempDir dir;
  auto conn = Connection::open(dir.file("r.db"), true).value();
  ASSERT_TRUE(conn->exec("CREATE TABLE t (x INTEGER)").ok());
  Writer writer(std::move(conn));
  EXPECT_FALSE(writer.syncs_wal_itself());
  ASSERT_TRUE(writer.acquire().ok());
  ASSERT_TRUE(writer.connection().exec("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(writer.commit().ok());
  EXPECT_EQ(writer.syncs(), 0u);
}

}  // namespace
}  // namespace sg::storage::sqlite
