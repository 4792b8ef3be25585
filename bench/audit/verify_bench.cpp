// Ledger verify speed (issue 6: target >= 1 million events per minute). Builds a ledger of
// N events (SG_BENCH_EVENTS, default 1,000,000) with ~200-byte payloads in a temporary
// SQLite file, through the storage API in transactions of 10,000 events (one transaction for
// the lot grew a 34 GB WAL), then times audit::verify over it against a signed checkpoint of
// the whole tree: chain, salted payload digests and tree head.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "audit/checkpoint.h"
#include "audit/ledger.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using namespace sg;

// Events written per transaction while building the ledger: keeps the WAL small.
constexpr std::int64_t kEventsPerTransaction = 10000;

struct Fixture {
  std::filesystem::path dir;
  std::string db;
  audit::VerifyOptions options;
  std::int64_t events = 0;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture f;
    const char* env = std::getenv("SG_BENCH_EVENTS");
    f.events = env ? std::atoll(env) : 1000000;
    f.dir = std::filesystem::temp_directory_path() /
            ("sg-verify-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(f.dir);
    f.db = (f.dir / "ledger.db").string();
    auto store = storage::open_sqlite_store(f.db, storage::OpenMode::kCreate).value();
    core::ManualClock clock{core::parse_rfc3339("2026-11-30T09:00:00Z").value()};
    core::SeededRandom random{1};
    core::IdGenerator ids{clock, random};
    audit::Ledger ledger{clock, ids, random};
    std::string payload(200, 'x');
    std::unique_ptr<storage::Transaction> tx;
    for (std::int64_t i = 0; i < f.events; ++i) {
      if (i % kEventsPerTransaction == 0) {
        if (tx) (void)tx->commit().value();
        tx = store->begin(storage::TxMode::kWrite).value();
      }
      // 13 digits over the first 13 bytes: the payload stays 200 bytes. (Replacing 12 bytes
      // grew it by one byte per event, to ~1 MB at the millionth: hundreds of GB in all.)
      auto serial = std::to_string(1000000000000 + i);
      payload.replace(0, serial.size(), serial);
      (void)ledger
          .append(*tx, {.actor = "user-" + std::to_string(i % 500),
                        .operation = domain::Operation::kConsultation,
                        .reason = "case_work",
                        .record_ids = {"rec-" + std::to_string(i % 100000)},
                        .payload = payload})
          .value();
      if (i % 1000 == 0) clock.advance(std::chrono::milliseconds(1));
    }
    if (tx) (void)tx->commit().value();
    auto key = audit::SigningKey::generate("bench", random).value();
    audit::Checkpointer checkpointer(*store, clock, key, {});
    auto cut = checkpointer.cut().value();
    f.options.checkpoints.push_back(audit::parse_checkpoint(cut->note, "bench").value());
    f.options.public_key = key.public_key();
    return f;
  }();
  return f;
}

void BM_LedgerVerify(benchmark::State& state) {
  auto& f = fixture();
  auto store = storage::open_sqlite_store(f.db, storage::OpenMode::kExistingOnly).value();
  for (auto _ : state) {
    auto report = audit::verify(*store, f.options).value();
    if (!report.intact() || report.events != f.events) state.SkipWithError("not intact");
    benchmark::DoNotOptimize(report);
  }
  state.counters["events"] = static_cast<double>(f.events);
  state.counters["events_per_minute"] = benchmark::Counter(
      static_cast<double>(f.events) * 60.0 * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LedgerVerify)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(fixture().dir, ec);
  return 0;
}
