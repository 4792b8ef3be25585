#include "cli/resolve_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "resolve/engine.h"

namespace sg::cli {
namespace {

struct ResolveArgs {
  std::vector<std::string> inputs;
  std::string id_column;
  std::vector<std::string> fields;
  std::string output;
  std::string pairs;
  double threshold = 0.9;
  double pairs_min = -1;
  double linkage = 0.5;
  bool link_only = false;
  std::vector<std::string> blocks;
  std::size_t max_block = 500;
  int threads = 2;
  std::vector<std::string> explain;
  bool json = false;
};

int fail(const core::Error& error) {
  std::cerr << "safeguard resolve: error: " << error.message;
  if (!error.field.empty() && error.message.find(error.field) == std::string::npos) {
    std::cerr << " (" << error.field << ")";
  }
  std::cerr << "\n";
  return kExitFailed;
}

int run_resolve(const ResolveArgs& args) {
  using Clock = std::chrono::steady_clock;
  auto started = Clock::now();
  std::vector<resolve::FieldMapping> mappings;
  for (const auto& f : args.fields) {
    auto m = resolve::parse_field_mapping(f);
    if (!m.ok()) return fail(m.error());
    mappings.push_back(std::move(m).value());
  }
  std::vector<std::pair<std::string, std::string>> explain_pairs;
  for (const auto& e : args.explain) {
    auto comma = e.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == e.size()) {
      return fail(core::invalid_argument("expected ID1,ID2", "--explain"));
    }
    explain_pairs.emplace_back(e.substr(0, comma), e.substr(comma + 1));
  }
  bool tty = isatty(STDERR_FILENO) != 0;
  auto store = resolve::RecordStore::load(args.inputs, args.id_column, mappings);
  if (!store.ok()) return fail(store.error());
  double load_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  resolve::ResolveOptions options;
  options.threshold = args.threshold;
  options.linkage = args.linkage;
  options.link_only = args.link_only;
  options.blocking_rules = args.blocks;
  options.max_block_size = args.max_block;
  options.threads = args.threads;
  if (tty) {
    options.progress = [](std::string_view stage, double) {
      std::fprintf(stderr, "\r\033[Kresolve: %.*s...", static_cast<int>(stage.size()),
                   stage.data());
      if (stage == "done") std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    };
  }
  auto result = resolve::resolve(std::move(store).value(), options);
  if (!result.ok()) return fail(result.error());
  result->stats.seconds_load = load_seconds;

  if (auto st = resolve::write_clusters(*result, args.output); !st.ok()) return fail(st.error());
  if (!args.pairs.empty()) {
    double min = args.pairs_min >= 0 ? args.pairs_min : args.threshold;
    if (auto st = resolve::write_pairs(*result, args.pairs, min); !st.ok()) return fail(st.error());
  }
  const auto& s = result->stats;
  std::fprintf(stderr, "resolve: %zu records, %llu candidate pairs, %zu entities, %.2f s\n",
               s.records, static_cast<unsigned long long>(s.candidate_pairs), s.entities,
               std::chrono::duration<double>(Clock::now() - started).count());
  for (const auto& r : s.rules) {
    std::fprintf(stderr, "resolve:   rule %-55s %10llu pairs", r.name.c_str(),
                 static_cast<unsigned long long>(r.pairs));
    if (r.capped_blocks) {
      std::fprintf(stderr, "  (%llu blocks over the cap skipped, %llu records)",
                   static_cast<unsigned long long>(r.capped_blocks),
                   static_cast<unsigned long long>(r.capped_records));
    }
    std::fprintf(stderr, "\n");
  }
  int status = kExitOk;
  for (const auto& [l, r] : explain_pairs) {
    auto e = resolve::explain_ids(*result, l, r);
    if (!e.ok()) {
      status = fail(e.error());
      continue;
    }
    std::cout << (args.json ? e->to_json() + "\n" : e->to_text());
  }
  if (args.json) std::cout << s.to_json(result->model, result->store) << "\n";
  return status;
}

}  // namespace

void add_resolve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ResolveArgs>();
  auto* cmd = app.add_subcommand(
      "resolve", "Resolve records from CSV files into entities (people) without training data");
  cmd->add_option("INPUT", args->inputs, "CSV files with a header row; ids unique across them")
      ->required();
  cmd->add_option("--id", args->id_column, "Column holding each record's id")->required();
  cmd->add_option("--field", args->fields,
                  "KIND=COLUMN; KIND is given_name, family_name, full_name, date_of_birth, "
                  "sex, address, locality, postcode, place_of_birth, phone, email, "
                  "vehicle_registration, identifier or attribute")
      ->required();
  cmd->add_option("--output", args->output, "clusters.csv to write (record_id,entity_id)")
      ->required();
  cmd->add_option("--pairs", args->pairs,
                  "pairs.csv to write (record_id_l,record_id_r,match_probability,match_weight)");
  cmd->add_option("--threshold", args->threshold, "Match probability that links two records")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--pairs-min", args->pairs_min,
                  "Lowest probability written to --pairs (default: the threshold)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--link-only", args->link_only, "Score only pairs from different files");
  cmd->add_option("--linkage", args->linkage,
                  "Average probability needed to merge two groups (guards against chaining)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--block", args->blocks,
                  "Blocking rule, e.g. family_name:phonetic+date_of_birth:year (repeatable; "
                  "replaces the defaults)");
  cmd->add_option("--max-block", args->max_block, "Largest block compared in full")
      ->check(CLI::Range(2, 100000));
  cmd->add_option("--threads", args->threads, "Worker threads")->check(CLI::Range(1, 64));
  cmd->add_option("--explain", args->explain,
                  "ID1,ID2: print the match-weight waterfall for this pair (repeatable)");
  cmd->add_flag("--json", args->json, "Print run statistics and the model as JSON on stdout");
  cmd->callback([args, &exit_code] { exit_code = run_resolve(*args); });
}

}  // namespace sg::cli
