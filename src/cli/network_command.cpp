#include "cli/network_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/cli.h"
#include "cli/config.h"
#include "cli/runtime.h"
#include "network/access.h"
#include "network/analytics.h"
#include "network/export.h"

namespace sg::cli {
namespace {

using nlohmann::json;

struct NetworkArgs {
  std::string db;
  std::string config_file;
  std::string from, to;  // The time window.
  bool as_json = false;
  std::size_t limit = 20;
  std::size_t members = 25;
  std::uint64_t seed = 1;
  std::string entity, other;
  int k = 2;
  std::string format, out;
  std::string identity = "exact";
};

int fail(const core::Error& error) {
  std::cerr << "safeguard network: error: " << error.message;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\n";
  return kExitFailed;
}

std::optional<std::string_view> opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
}

std::string label(const json& entity) {
  return entity["kind"].get<std::string>() + " " + entity["id"].get<std::string>() + "  " +
         entity["label"].get<std::string>();
}

void print_text(std::string_view query, const json& r) {
  if (query == "communities") {
    std::cout << r["groups"] << " groups over " << r["entities"] << " entities and " << r["links"]
              << " links (Leiden, modularity)\n";
    for (const auto& c : r["communities"]) {
      std::cout << "#" << c["rank"] << "  " << c["children"] << " children, " << c["suspects"]
                << " suspects, " << c["size"] << " entities\n";
      for (const auto& m : c["members"]) std::cout << "    " << label(m) << "\n";
    }
  } else if (query == "key-players") {
    std::cout << "score: " << r["score"].get<std::string>() << "\n"
              << "betweenness: " << r["betweenness"].get<std::string>() << "\n";
    for (const auto& k : r["key_players"]) {
      std::string top_in;
      for (const auto& m : k["top_in"])
        top_in += (top_in.empty() ? "" : ",") + m.get<std::string>();
      std::printf(
          "#%-3d score %.3f  children %-3.0f degree %-4.0f betweenness %-10.1f pagerank %.5f "
          "core %.0f  top in: %s  %s\n",
          k["rank"].get<int>(), k["score"].get<double>(), k["exploitation_children"].get<double>(),
          k["degree"].get<double>(), k["betweenness"].get<double>(), k["pagerank"].get<double>(),
          k["coreness"].get<double>(), top_in.empty() ? "-" : top_in.c_str(),
          label(k["entity"]).c_str());
    }
  } else if (query == "hot-spots") {
    for (const auto& h : r["hot_spots"]) {
      std::cout << "#" << h["rank"] << "  " << h["children"] << " children  " << label(h["entity"])
                << "\n";
    }
  } else if (query == "path") {
    if (!r["found"].get<bool>()) {
      std::cout << "no path\n";
      return;
    }
    for (std::size_t i = 0; i < r["entities"].size(); ++i) {
      std::cout << label(r["entities"][i]) << "\n";
      if (i < r["links"].size()) {
        for (const auto& ev : r["links"][i]["evidence"]) {
          std::cout << "   | " << ev["type"].get<std::string>() << " "
                    << ev["date"].get<std::string>() << " " << ev["confidence"].get<std::string>()
                    << " concern " << ev["concern_id"].get<std::string>() << "\n";
        }
      }
    }
  } else if (query == "neighbourhood") {
    std::cout << r["children"].size() << " children within " << r["k"] << " links\n";
    for (const auto& c : r["children"]) {
      std::cout << "  " << c["distance"] << "  " << label(c["entity"]) << "\n";
    }
  }
}

int run_network(const NetworkArgs& args, std::string_view query) {
  auto window = network::parse_window(opt(args.from), opt(args.to), "--from", "--to");
  if (!window.ok()) return fail(window.error());
  if (args.limit < 1 || args.limit > 100000) {
    return fail(core::invalid_argument("must be between 1 and 100000", "--limit"));
  }
  std::optional<network::ExportFormat> format;
  if (query == "export") {
    auto f = network::parse_export_format(args.format, "--format");
    if (!f.ok()) return fail(f.error());
    format = *f;
  }
  auto config = load_config(args.config_file, args.db);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  std::shared_ptr<const network::PersonIdentity> identity;
  if (args.identity == "exact") {
    identity = std::make_shared<network::ExactPersonIdentity>();
  } else if (args.identity == "name") {
    identity = std::make_shared<network::NameFallbackIdentity>();
  } else if (args.identity == "matched") {
    if (auto st = (*rt)->start_people(); !st.ok()) return fail(st.error());
    identity = std::make_shared<workflow::MatchedPersonIdentity>(*(*rt)->people);
  } else {
    return fail(core::invalid_argument("must be exact, name or matched", "--identity"));
  }
  network::LinkGraph graph(identity);
  if (auto st = graph.load(*(*rt)->store, (*rt)->clock.now()); !st.ok()) return fail(st.error());
  network::Analytics analytics(graph, {.seed = args.seed});
  network::Viewer viewer{std::string(kCliActor), domain::Role::kAnalyst, ""};
  auto scope = network::scope_for(graph, viewer, *window);
  json params = {{"from", args.from}, {"to", args.to}, {"identity", args.identity}};

  core::Result<json> report = json::object();
  if (query == "communities") {
    params["limit"] = args.limit;
    report = analytics.communities(scope, args.limit, args.members);
  } else if (query == "key-players") {
    params["limit"] = args.limit;
    report = analytics.key_players(scope, args.limit);
  } else if (query == "hot-spots") {
    params["limit"] = args.limit;
    report = analytics.hot_spots(scope, args.limit);
  } else if (query == "path") {
    params["entities"] = {args.entity, args.other};
    report = analytics.path(scope, args.entity, args.other);
  } else if (query == "neighbourhood") {
    params["entity"] = args.entity;
    params["k"] = args.k;
    report = analytics.neighbourhood(scope, args.entity, args.k);
  } else {
    params["format"] = args.format;
    network::ExportSummary summary;
    std::ofstream out(args.out, std::ios::binary);
    if (!out) return fail(core::invalid_argument("cannot be written", "--out"));
    if (*format == network::ExportFormat::kGraphMl) {
      summary = network::write_graphml(analytics, graph, scope, out);
    } else if (*format == network::ExportFormat::kFtm) {
      summary = network::write_ftm(analytics, graph, scope, out);
    } else {
      auto links_path = std::filesystem::path(args.out);
      links_path.replace_filename(links_path.stem().string() + "_links.csv");
      std::ofstream links(links_path, std::ios::binary);
      if (!links) return fail(core::invalid_argument("cannot be written", "--out"));
      summary = network::write_i2(analytics, graph, scope, out, links);
    }
    out.close();
    if (!out) return fail(core::invalid_argument("could not be written completely", "--out"));
    // An export hands the records to another tool: ledgered as a consultation of them all.
    if (auto st = network::record_consultation(*(*rt)->store, *(*rt)->ledger, viewer, "export",
                                               params, summary.record_ids);
        !st.ok()) {
      return fail(st.error());
    }
    json r = {{"format", args.format},
              {"out", args.out},
              {"entities", summary.entities},
              {"links", summary.links}};
    if (args.as_json) {
      std::cout << r.dump() << "\n";
    } else {
      std::cout << "wrote " << summary.entities << " entities and " << summary.links << " links to "
                << args.out << "\n";
    }
    return kExitOk;
  }
  if (!report.ok()) return fail(report.error());
  if (auto st = network::record_consultation(*(*rt)->store, *(*rt)->ledger, viewer, query, params,
                                             network::evidence_records(*report));
      !st.ok()) {
    return fail(st.error());
  }
  if (args.as_json) {
    std::cout << report->dump() << "\n";
  } else {
    print_text(query, *report);
  }
  return kExitOk;
}

}  // namespace

void add_network_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<NetworkArgs>();
  auto* cmd = app.add_subcommand(
      "network", "Link analysis: groups, key players, hot spots, paths, neighbourhoods, exports");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    sub->add_option("--db", args->db, "SQLite database file (or SAFEGUARD_DB)");
    sub->add_option("--config", args->config_file, "TOML configuration file (or SAFEGUARD_CONFIG)");
    sub->add_option("--from", args->from, "Only links dated on or after YYYY-MM-DD");
    sub->add_option("--to", args->to, "Only links dated on or before YYYY-MM-DD");
    sub->add_flag("--json", args->as_json, "Print the report as JSON");
    sub->add_option("--identity", args->identity,
                    "Who recorded persons are: exact (identifier, or name and date of birth; "
                    "default), name (falls back to the name alone) or matched (the online "
                    "matcher's entities, as the server uses)");
  };
  auto query = [&](const char* name, const char* help) {
    auto* sub = cmd->add_subcommand(name, help);
    common(sub);
    sub->callback([args, &exit_code, name] { exit_code = run_network(*args, name); });
    return sub;
  };
  auto* communities =
      query("communities", "Groups (Leiden) ranked by the distinct children they touch");
  communities->add_option("--limit", args->limit, "Groups to show (default 20)");
  communities->add_option("--members", args->members, "Members listed per group (default 25)");
  communities->add_option("--seed", args->seed, "Leiden's random seed (default 1)");
  auto* key_players =
      query("key-players", "Suspects ranked by degree, betweenness, PageRank, core");
  key_players->add_option("--limit", args->limit, "Key players to show (default 20)");
  auto* hot_spots =
      query("hot-spots", "Places, vehicles and phones linked to the most distinct children");
  hot_spots->add_option("--limit", args->limit, "Hot spots to show (default 20)");
  auto* path = query("path", "The shortest path between two entities, with its evidence");
  path->add_option("FROM", args->entity, "Entity id")->required();
  path->add_option("TO", args->other, "Entity id")->required();
  auto* hood = query("neighbourhood", "The children within k links of an entity");
  hood->add_option("ENTITY", args->entity, "Entity id")->required();
  hood->add_option("--k", args->k, "Links to follow, 1-4 (default 2)");
  auto* exp = query("export", "Write the graph for Gephi/yEd (graphml), i2 (i2) or Aleph (ftm)");
  exp->add_option("--format", args->format, "graphml, i2 or ftm")->required();
  exp->add_option("--out", args->out,
                  "Output file (i2: the entity CSV; links go to <stem>_links.csv beside it)")
      ->required();
}

}  // namespace sg::cli
