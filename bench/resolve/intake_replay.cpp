// Online matcher at intake (issue 3): replays what concern intake asks of the matcher — for
// each new child, match() against everything held (probability >= 0.5, waterfalls included),
// then add() once the concern is committed — on children named as bench/casework/intake.lua
// names them (drawn by weight from data/synth's lists, born 2008-2016), and prints the CPU
// time per child. With one thread it also prints a digest of every answer (matches, their
// probabilities and waterfalls, and the final entities), so a faster matcher can be checked
// to answer exactly as before.
//   online_intake_bench DATA_SYNTH_DIR [CHILDREN] [THREADS]
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "resolve/online.h"

namespace {

using sg::resolve::OnlineMatcher;
using sg::resolve::PersonRecord;

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Names and cumulative weights from a "...,name,weight" list (comments and header skipped).
struct NameList {
  std::vector<std::string> names;
  std::vector<std::uint64_t> cumulative;

  static NameList read(const std::string& path) {
    NameList list;
    std::ifstream in(path);
    std::string line;
    std::uint64_t total = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto last = line.rfind(',');
      auto before = line.rfind(',', last - 1);
      if (last == std::string::npos || before == std::string::npos) continue;
      std::string weight = line.substr(last + 1);
      if (weight.empty() || weight.find_first_not_of("0123456789") != std::string::npos) continue;
      total += std::stoull(weight);
      list.names.push_back(line.substr(before + 1, last - before - 1));
      list.cumulative.push_back(total);
    }
    return list;
  }
  const std::string& pick(std::uint64_t& state) const {
    std::uint64_t r = splitmix(state) % cumulative.back();
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    return names[static_cast<std::size_t>(it - cumulative.begin())];
  }
};

struct Digest {
  std::uint64_t h = 1469598103934665603ull;
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;
  }
};

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: online_intake_bench DATA_SYNTH_DIR [CHILDREN] [THREADS]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::size_t n = argc > 2 ? std::stoul(argv[2]) : 20000;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 1;
  auto given = NameList::read(dir + "/given_names.csv");
  auto family = NameList::read(dir + "/family_names.csv");
  if (given.names.empty() || family.names.empty()) {
    std::fprintf(stderr, "no names read from %s\n", dir.c_str());
    return 1;
  }
  std::vector<PersonRecord> children(n);
  std::uint64_t state = 20261130;
  for (std::size_t i = 0; i < n; ++i) {
    auto& p = children[i];
    p.id = "concern" + std::to_string(i) + ":c1";
    p.agency_id = "ncs";
    p.given_name = given.pick(state);
    p.family_name = family.pick(state);
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", static_cast<int>(2008 + splitmix(state) % 9),
                  static_cast<int>(1 + splitmix(state) % 12),
                  static_cast<int>(1 + splitmix(state) % 28));
    p.date_of_birth = dob;
  }
  OnlineMatcher matcher;
  std::vector<Digest> digests(threads);
  std::vector<std::size_t> matched(threads, 0);
  auto work = [&](int t) {
    for (std::size_t i = t; i < n; i += threads) {
      auto matches = matcher.match(children[i], matcher.options().review_threshold);
      matched[t] += matches.size();
      for (const auto& m : matches) {
        digests[t].add(m.record_id);
        digests[t].add(m.entity_id);
        digests[t].add(m.explanation.to_json());
      }
      auto entity = matcher.add(children[i]);
      digests[t].add(entity.ok() ? *entity : "error");
    }
  };
  double cpu0 = cpu_seconds();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& th : pool) th.join();
  double cpu = cpu_seconds() - cpu0;
  std::size_t total_matched = 0;
  for (auto m : matched) total_matched += m;
  std::printf("children: %zu  threads: %d  matches returned: %zu\n", n, threads, total_matched);
  std::printf("cpu: %.2f s  per child (match + add): %.1f us\n", cpu,
              cpu * 1e6 / static_cast<double>(n));
  if (threads == 1) {
    Digest final_state = digests[0];
    for (const auto& p : children) final_state.add(matcher.entity_of(p.id).value_or("-"));
    std::printf("digest: %016" PRIx64 "\n", final_state.h);
  }
  return 0;
}
