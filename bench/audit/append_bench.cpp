// Ledger append rate with group commit (issue 6: target >= 20,000 events/s on SQLite). Each
// iteration is one whole operation as the server performs it: a write transaction holding
// one ledger event (chain hash, salted payload digest, stored payload), committed durably
// (synchronous=FULL). Run with 1 thread, and with 16 as the server does, to see how much
// group commit shares the fsync (src/storage/sqlite/writer.h).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "audit/ledger.h"
#include "core/id.h"
#include "core/time.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using namespace sg;

struct Shared {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  core::SystemClock clock;
  core::OsRandom random;
  core::IdGenerator ids{clock, random};
  audit::Ledger ledger{clock, ids, random};
};

Shared& shared() {
  static Shared* s = [] {
    auto* s = new Shared;
    s->dir = std::filesystem::temp_directory_path() /
             ("sg-append-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(s->dir);
    s->store =
        storage::open_sqlite_store((s->dir / "ledger.db").string(), storage::OpenMode::kCreate)
            .value();
    return s;
  }();
  return *s;
}

void BM_AppendOneEventPerTransaction(benchmark::State& state) {
  auto& s = shared();
  const std::string payload(200, 'x');
  std::int64_t i = 0;
  for (auto _ : state) {
    auto tx = s.store->begin(storage::TxMode::kWrite).value();
    auto event = s.ledger.append(*tx, {.actor = "user-" + std::to_string(state.thread_index()),
                                       .operation = domain::Operation::kConsultation,
                                       .reason = "case_work",
                                       .record_ids = {"rec-" + std::to_string(i++ % 1000)},
                                       .payload = payload});
    if (!event.ok() || !tx->commit().ok()) state.SkipWithError("append failed");
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendOneEventPerTransaction)
    ->Threads(1)
    ->Threads(4)
    ->Threads(8)
    ->Threads(16)
    ->Threads(32)
    ->UseRealTime()
    ->MinTime(3);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(shared().dir);
  return 0;
}
