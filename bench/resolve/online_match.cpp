// Online matching benchmark (issue 4, item 6): loads N person records from a file written by
// bench/resolve/make_people.py into resolve::OnlineMatcher (the start-up path), then times
// single matches of noisy queries against all of them and prints p50, p99 and max.
//   online_match_bench PEOPLE.csv [QUERIES] [--train]
// Without --train the shipped default model is used (as at start with few records); with it
// the model is estimated by EM on the loaded records first.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "resolve/csv.h"
#include "resolve/online.h"

int main(int argc, char** argv) {
  using namespace sg::resolve;
  using Clock = std::chrono::steady_clock;
  if (argc < 2) {
    std::fprintf(stderr, "usage: online_match_bench PEOPLE.csv [QUERIES] [--train]\n");
    return 2;
  }
  std::size_t queries = argc > 2 ? std::stoul(argv[2]) : 10000;
  bool train = argc > 3 && std::string(argv[3]) == "--train";
  auto reader = CsvReader::open(argv[1]);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.error().message.c_str());
    return 1;
  }
  int c_id = reader->column("id"), c_given = reader->column("given_name"),
      c_family = reader->column("surname"), c_dob = reader->column("date_of_birth"),
      c_sex = reader->column("sex"), c_address = reader->column("address"),
      c_postcode = reader->column("postcode"), c_phone = reader->column("phone");
  std::vector<PersonRecord> records;
  std::vector<std::string_view> f;
  while (reader->next(f).value_or(false)) {
    PersonRecord p;
    p.id = f[c_id];
    p.agency_id = records.size() % 3 == 0 ? "police" : "health";
    p.given_name = f[c_given];
    p.family_name = f[c_family];
    p.date_of_birth = f[c_dob];
    p.sex = f[c_sex];
    p.address = f[c_address];
    p.postcode = f[c_postcode];
    p.phone = f[c_phone];
    records.push_back(std::move(p));
  }
  OnlineOptions options;
  options.min_training_records = train ? 2000 : records.size() + 1;
  OnlineMatcher matcher(options);
  auto start = Clock::now();
  // Every record but the queries is loaded; the queries are the noisy copies held back.
  std::vector<PersonRecord> held_back;
  std::vector<PersonRecord> load;
  for (std::size_t i = 0; i < records.size(); ++i) {
    bool copy = records[i].id.size() > 2 && records[i].id.substr(records[i].id.size() - 2) != "-0";
    if (copy && held_back.size() < queries) {
      held_back.push_back(records[i]);
    } else {
      load.push_back(records[i]);
    }
  }
  if (auto st = matcher.load(load); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  double load_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> ms;
  std::size_t found = 0;
  for (auto& q : held_back) {
    auto t0 = Clock::now();
    auto m = matcher.match(q, options.review_threshold, 50);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    found += !m.empty();
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
  std::printf(
      "records loaded: %zu  load+link+cluster: %.1f s  model: %s\nqueries: %zu  with a match: "
      "%zu\nmatch latency ms: p50 %.3f  p99 %.3f  max %.3f\n",
      load.size(), load_s, matcher.trained() ? "EM" : "default", ms.size(), found, pct(0.5),
      pct(0.99), ms.back());
  return 0;
}
