#include "cli/audit_command.h"

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/checkpoint.h"
#include "audit/ledger.h"
#include "audit/merkle.h"
#include "cli/cli.h"
#include "cli/command_support.h"
#include "core/ascii.h"
#include "core/log.h"

namespace sg::cli {
namespace {

using nlohmann::json;

core::Status write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << text) || !out.flush()) return core::invalid_argument("cannot write the file", path);
  return {};
}

core::Result<audit::PublicKey> load_public_key(const std::string& path) {
  auto text = SG_TRY(read_text(path));
  return audit::PublicKey::parse(text, path);
}

int cmd_verify(const DbOptions& opts, const std::vector<std::string>& checkpoint_files,
               const std::string& public_key_file, bool as_json) {
  auto config = load_config(opts);
  if (!config.ok()) return fail(config.error());
  audit::VerifyOptions options;
  for (const auto& file : checkpoint_files) {
    auto text = read_text(file);
    if (!text.ok()) return fail(text.error());
    auto checkpoint = audit::parse_checkpoint(*text, file);
    if (!checkpoint.ok()) return fail(checkpoint.error());
    options.checkpoints.push_back(*checkpoint);
  }
  if (!public_key_file.empty()) {
    auto key = load_public_key(public_key_file);
    if (!key.ok()) return fail(key.error());
    options.public_key = *key;
  } else if (!config->audit_signing_key.empty()) {
    auto key = load_signing_key(config->audit_signing_key);
    if (!key.ok()) return fail(key.error());
    options.public_key = key->public_key();
  }
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto report = audit::verify(*(*rt)->store, options);
  if (!report.ok()) {
    // A database too damaged to read is itself evidence of tampering.
    if (report.error().code == core::Code::kDataLoss) {
      std::cerr << "safeguard: ledger unreadable: " << report.error().message << "\n";
      return kExitTampered;
    }
    return fail(report.error());
  }
  const auto& r = *report;
  if (as_json) {
    json out = {{"intact", r.intact()},
                {"events", r.events},
                {"head_hash", r.head_hash},
                {"root_hash", r.root_hash},
                {"checkpoints_checked", r.checkpoints_checked},
                {"signatures_checked", r.signatures_checked},
                {"payloads_held", r.payloads_held},
                {"payloads_erased", r.payloads_erased}};
    if (!r.intact()) {
      out["first_bad_seq"] = r.first_bad_seq ? json(*r.first_bad_seq) : json();
      out["problem"] = r.problem;
    }
    std::cout << out.dump() << "\n";
  } else if (r.intact()) {
    std::cout << "ledger intact: " << r.events << " events, head " << r.head_hash << ", tree head "
              << r.root_hash << "; " << r.checkpoints_checked << " checkpoints matched ("
              << (r.signatures_checked ? "signatures verified" : "signatures NOT checked: no key")
              << "); " << r.payloads_erased << " payloads erased\n";
  } else if (r.first_bad_seq) {
    std::cout << "ledger BROKEN at sequence " << *r.first_bad_seq << ": " << r.problem << " ("
              << r.events << " events verified before it)\n";
  } else {
    std::cout << "ledger checkpoint REJECTED: " << r.problem << "\n";
  }
  return r.intact() ? kExitOk : kExitTampered;
}

int cmd_keygen(const std::string& name, const std::string& out) {
  core::OsRandom random;
  auto key = audit::SigningKey::generate(name, random);
  if (!key.ok()) return fail(key.error());
  if (auto st = write_new_file(out, key->encode() + "\n", 0600); !st.ok()) return fail(st.error());
  auto pub = out + ".pub";
  if (auto st = write_new_file(pub, key->public_key().encode() + "\n", 0644); !st.ok()) {
    return fail(st.error());
  }
  std::cout << "signing key " << key->public_key().key_id() << " written to " << out
            << " (mode 0600); public key in " << pub << "\n";
  return kExitOk;
}

audit::CheckpointPolicy policy_of(const Config& config) {
  return {.origin = config.audit_origin,
          .every_events = config.checkpoint_every_events,
          .every = std::chrono::seconds(config.checkpoint_every_seconds)};
}

int cmd_checkpoint(const DbOptions& opts, std::string key_file, const std::string& out) {
  auto config = load_config(opts);
  if (!config.ok()) return fail(config.error());
  if (key_file.empty()) key_file = config->audit_signing_key;
  if (key_file.empty()) {
    return fail(core::invalid_argument(
        "no signing key: pass --key or set audit.signing_key (SAFEGUARD_AUDIT_SIGNING_KEY)",
        "--key"));
  }
  auto key = load_signing_key(key_file);
  if (!key.ok()) return fail(key.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  audit::Checkpointer checkpointer(*(*rt)->store, (*rt)->clock, *key, policy_of(*config));
  if (auto cut = checkpointer.cut(); !cut.ok()) return fail(cut.error());
  auto tx = (*rt)->store->begin(storage::TxMode::kRead);
  if (!tx.ok()) return fail(tx.error());
  auto all = (*tx)->ledger_checkpoints();
  if (!all.ok()) return fail(all.error());
  if (all->empty()) return fail(core::failed_precondition("the ledger is empty: nothing to sign"));
  const auto& latest = all->back();
  if (out.empty()) {
    std::cout << latest.note;
  } else {
    if (auto st = write_file(out, latest.note); !st.ok()) return fail(st.error());
    std::cout << "checkpoint of tree size " << latest.tree_size << " written to " << out << "\n";
  }
  return kExitOk;
}

// Finds the sequence number of EVENT: a sequence number, or an event id.
core::Result<std::int64_t> find_event(storage::Transaction& tx, const std::string& event) {
  if (!event.empty() && event.find_first_not_of("0123456789") == std::string::npos &&
      event.size() < 18) {
    return std::stoll(event);
  }
  for (std::int64_t from = 1;;) {
    auto rows = SG_TRY(tx.ledger_range(from, 4096));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      if (row.event_id == event) return row.seq;
    }
    from = rows.back().seq + 1;
  }
  return core::Error{core::Code::kNotFound, "no ledger event has this id or sequence number",
                     "EVENT"};
}

json hashes_json(const std::vector<audit::Hash>& hashes) {
  json out = json::array();
  for (const auto& h : hashes) out.push_back(audit::to_hex(h));
  return out;
}

int cmd_prove(const DbOptions& opts, const std::string& event, std::int64_t size,
              std::int64_t from_size) {
  auto config = load_config(opts);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto tx = (*rt)->store->begin(storage::TxMode::kRead);
  if (!tx.ok()) return fail(tx.error());
  auto last = (*tx)->ledger_last();
  if (!last.ok()) return fail(last.error());
  std::int64_t head = *last ? (*last)->seq : 0;
  auto checkpoints = (*tx)->ledger_checkpoints();
  if (!checkpoints.ok()) return fail(checkpoints.error());
  std::int64_t seq = 0;
  if (!event.empty()) {
    auto found = find_event(**tx, event);
    if (!found.ok()) return fail(found.error());
    seq = *found;
    if (seq < 1 || seq > head) {
      return fail(
          core::Error{core::Code::kNotFound, "no ledger event has this sequence number", "EVENT"});
    }
  }
  // By default, prove against the newest checkpoint that covers the event: that tree head is
  // signed and may already be held off the machine.
  const storage::LedgerCheckpoint* checkpoint = nullptr;
  if (size == 0) {
    size = head;
    for (const auto& c : *checkpoints) {
      if (c.tree_size >= std::max<std::int64_t>(seq, from_size) && c.tree_size <= head) {
        checkpoint = &c;
        size = c.tree_size;
      }
    }
  }
  if (size < 1 || size > head || seq > size || from_size > size || from_size < 0) {
    return fail(
        core::invalid_argument("must be between the event's (or --from-size) and the "
                               "ledger's size",
                               "--size"));
  }
  auto leaves = audit::ledger_leaves(**tx, size);
  if (!leaves.ok()) return fail(leaves.error());
  json out;
  if (!event.empty()) {
    auto rows = (*tx)->ledger_range(seq, 1);
    if (!rows.ok() || rows->empty()) return fail(core::data_loss("the event could not be read"));
    auto leaf = audit::leaf_bytes(rows->front());
    out = {{"kind", "inclusion"},
           {"seq", seq},
           {"event_id", rows->front().event_id},
           {"leaf_index", seq - 1},
           {"leaf", core::to_hex(leaf)},
           {"leaf_hash", audit::to_hex(audit::leaf_hash(leaf))},
           {"tree_size", size},
           {"root_hash", audit::to_hex(audit::tree_root(*leaves))},
           {"path", hashes_json(audit::inclusion_proof(*leaves, seq - 1))}};
  } else {
    out = {{"kind", "consistency"},
           {"old_size", from_size},
           {"old_root_hash", audit::to_hex(audit::tree_root(std::span(*leaves).first(from_size)))},
           {"tree_size", size},
           {"root_hash", audit::to_hex(audit::tree_root(*leaves))},
           {"path", hashes_json(audit::consistency_proof(*leaves, from_size))}};
  }
  if (checkpoint) out["checkpoint"] = checkpoint->note;
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

core::Result<std::vector<audit::Hash>> path_of(const json& proof, const std::string& source) {
  if (!proof.contains("path") || !proof["path"].is_array()) {
    return core::invalid_argument("must be an array of hex hashes", source + ": path");
  }
  std::vector<audit::Hash> out;
  for (const auto& h : proof["path"]) {
    if (!h.is_string()) return core::invalid_argument("must be hex hashes", source + ": path");
    out.push_back(SG_TRY(audit::hash_from_hex(h.get<std::string>(), source + ": path")));
  }
  return out;
}

core::Result<std::int64_t> int_field(const json& j, const char* key, const std::string& source) {
  if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<std::int64_t>() < 0) {
    return core::invalid_argument("must be a non-negative integer", source + ": " + key);
  }
  return j[key].get<std::int64_t>();
}

core::Result<std::string> string_field(const json& j, const char* key, const std::string& source) {
  if (!j.contains(key) || !j[key].is_string()) {
    return core::invalid_argument("must be a string", source + ": " + key);
  }
  return j[key].get<std::string>();
}

// Checks a proof printed by `audit prove`. Returns "" when it holds, else why not.
core::Result<std::string> check_proof(const json& proof, const std::string& source,
                                      const std::optional<audit::Checkpoint>& checkpoint) {
  auto kind = SG_TRY(string_field(proof, "kind", source));
  auto size = SG_TRY(int_field(proof, "tree_size", source));
  auto root = SG_TRY(audit::hash_from_hex(SG_TRY(string_field(proof, "root_hash", source)),
                                          source + ": root_hash"));
  auto path = SG_TRY(path_of(proof, source));
  if (kind == "inclusion") {
    // The proof names the tree head it was made against; held against a checkpoint, the
    // tree head must be the one that was signed.
    if (checkpoint &&
        (static_cast<std::int64_t>(checkpoint->tree_size) != size || checkpoint->root != root)) {
      return std::string("the proof is against another tree head than the checkpoint's");
    }
    std::string leaf;
    if (!core::from_hex(SG_TRY(string_field(proof, "leaf", source)), leaf)) {
      return core::invalid_argument("must be hex", source + ": leaf");
    }
    auto index = SG_TRY(int_field(proof, "leaf_index", source));
    if (!audit::verify_inclusion(audit::leaf_hash(leaf), static_cast<std::uint64_t>(index),
                                 static_cast<std::uint64_t>(size), path, root)) {
      return std::string("the inclusion proof does not verify");
    }
    return std::string();
  }
  if (kind == "consistency") {
    auto old_size = SG_TRY(int_field(proof, "old_size", source));
    auto old_root = SG_TRY(audit::hash_from_hex(
        SG_TRY(string_field(proof, "old_root_hash", source)), source + ": old_root_hash"));
    // Held against a checkpoint, the old tree head must be the one that was signed: this is
    // how a later ledger is shown to extend it.
    if (checkpoint && (static_cast<std::int64_t>(checkpoint->tree_size) != old_size ||
                       checkpoint->root != old_root)) {
      return std::string("the proof starts from another tree head than the checkpoint's");
    }
    if (!audit::verify_consistency(static_cast<std::uint64_t>(old_size),
                                   static_cast<std::uint64_t>(size), old_root, root, path)) {
      return std::string("the consistency proof does not verify");
    }
    return std::string();
  }
  return core::invalid_argument("must be inclusion or consistency", source + ": kind");
}

int cmd_check_proof(const std::string& file, const std::string& checkpoint_file,
                    const std::string& public_key_file) {
  auto text = read_text(file);
  if (!text.ok()) return fail(text.error());
  auto proof = json::parse(*text, nullptr, false);
  if (proof.is_discarded() || !proof.is_object()) {
    return fail(core::invalid_argument("is not a JSON proof from `safeguard audit prove`", file));
  }
  std::optional<audit::Checkpoint> checkpoint;
  if (!checkpoint_file.empty()) {
    auto note = read_text(checkpoint_file);
    if (!note.ok()) return fail(note.error());
    auto parsed = audit::parse_checkpoint(*note, checkpoint_file);
    if (!parsed.ok()) return fail(parsed.error());
    checkpoint = *parsed;
    if (!public_key_file.empty()) {
      auto key = load_public_key(public_key_file);
      if (!key.ok()) return fail(key.error());
      if (auto st = audit::verify_checkpoint_signature(*checkpoint, *key); !st.ok()) {
        std::cout << "proof REJECTED: " << st.error().message << "\n";
        return kExitTampered;
      }
    }
  }
  auto problem = check_proof(proof, file, checkpoint);
  if (!problem.ok()) return fail(problem.error());
  if (!problem->empty()) {
    std::cout << "proof REJECTED: " << *problem << "\n";
    return kExitTampered;
  }
  std::cout << "proof verifies" << (checkpoint ? " against the checkpoint" : "") << "\n";
  return kExitOk;
}

class ThreadCheckpointLoop final : public CheckpointLoop {
 public:
  ThreadCheckpointLoop(Runtime& runtime, audit::SigningKey key, audit::CheckpointPolicy policy)
      : checkpointer_(*runtime.store, runtime.clock, std::move(key), policy) {
    // Polling is cheap (two indexed reads); a few seconds bounds how late an
    // every-N-events checkpoint can be.
    auto poll = std::clamp<std::chrono::seconds>(policy.every / 4, std::chrono::seconds(1),
                                                 std::chrono::seconds(10));
    thread_ = std::thread([this, poll] {
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        lock.unlock();
        auto cut = checkpointer_.maybe_cut();
        if (cut.ok() && *cut) {
          core::log(core::LogLevel::kInfo, "checkpoint_cut", {{"tree_size", (*cut)->tree_size}});
        } else if (!cut.ok()) {
          core::log(core::LogLevel::kWarn, "checkpoint_failed",
                    {{"code", core::code_name(cut.error().code)}});
        }
        lock.lock();
        wake_.wait_for(lock, poll, [&] { return stopping_; });
      }
    });
  }

  ~ThreadCheckpointLoop() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  audit::Checkpointer checkpointer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

core::Result<audit::SigningKey> load_signing_key(const std::string& path) {
  auto text = read_private_file(path, "signing key");
  if (!text.ok()) {
    // A configured key that is missing is a mistake in the configuration, as before.
    if (text.error().code == core::Code::kNotFound) {
      return core::invalid_argument(text.error().message, path);
    }
    return std::move(text).error();
  }
  return audit::SigningKey::parse(*text, path);
}

core::Result<std::unique_ptr<CheckpointLoop>> start_checkpoint_loop(Runtime& runtime,
                                                                    const Config& config) {
  if (config.audit_signing_key.empty()) return std::unique_ptr<CheckpointLoop>();
  auto key = SG_TRY(load_signing_key(config.audit_signing_key));
  return std::unique_ptr<CheckpointLoop>(
      new ThreadCheckpointLoop(runtime, std::move(key), policy_of(config)));
}

void add_audit_command(CLI::App& app, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Check, sign and prove the ledger (docs/ledger.md)");
  audit->require_subcommand(1);

  struct Args {
    DbOptions db;
    bool as_json = false;
    std::vector<std::string> checkpoints;
    std::string public_key;
    std::string name = "safeguard-ledger";
    std::string out;
    std::string key;
    std::string event;
    std::int64_t size = 0;
    std::int64_t from_size = -1;
    std::string proof;
    std::string checkpoint;
  };
  auto args = std::make_shared<Args>();

  auto* verify = audit->add_subcommand(
      "verify",
      "Check the hash chain, the payloads and the Merkle tree against every stored and given "
      "checkpoint; exit 0 if intact, 3 naming the first bad sequence if not");
  add_db_options(verify, args->db);
  verify->add_flag("--json", args->as_json, "Print the report as JSON");
  verify->add_option("--checkpoint", args->checkpoints,
                     "An exported checkpoint file the ledger must extend (repeatable)");
  verify->add_option("--public-key", args->public_key,
                     "The signing key's public half (.pub); default: from audit.signing_key");
  verify->callback([args, &exit_code] {
    exit_code = cmd_verify(args->db, args->checkpoints, args->public_key, args->as_json);
  });

  auto* keygen = audit->add_subcommand(
      "keygen", "Make an Ed25519 checkpoint signing key: FILE (mode 0600) and FILE.pub");
  keygen->add_option("--name", args->name, "Key name carried in signatures")->capture_default_str();
  keygen->add_option("--out", args->out, "Where to write the private key")->required();
  keygen->callback([args, &exit_code] { exit_code = cmd_keygen(args->name, args->out); });

  auto* checkpoint = audit->add_subcommand(
      "checkpoint", "Cut and sign a checkpoint of the whole ledger now, and print or export it");
  add_db_options(checkpoint, args->db);
  checkpoint->add_option("--key", args->key, "Signing key file (default: audit.signing_key)");
  checkpoint->add_option("--out", args->out, "Write the checkpoint to this file");
  checkpoint->callback(
      [args, &exit_code] { exit_code = cmd_checkpoint(args->db, args->key, args->out); });

  auto* prove = audit->add_subcommand(
      "prove",
      "Print (JSON) an RFC 6962 inclusion proof of EVENT, or with --from-size and no EVENT a "
      "consistency proof, against the newest checkpoint covering it or --size");
  add_db_options(prove, args->db);
  prove->add_option("EVENT", args->event, "Sequence number or event id");
  prove->add_option("--size", args->size, "Tree size to prove against");
  prove->add_option("--from-size", args->from_size,
                    "Consistency proof from this tree size (an earlier checkpoint's)");
  prove->callback([args, &exit_code] {
    if (args->event.empty() == (args->from_size < 0)) {
      exit_code = fail(core::invalid_argument("give EVENT or --from-size, not both", "EVENT"));
      return;
    }
    exit_code =
        cmd_prove(args->db, args->event, args->size, std::max<std::int64_t>(args->from_size, 0));
  });

  auto* check = audit->add_subcommand(
      "check-proof",
      "Check a proof from `audit prove`, offline; with --checkpoint, against that signed head "
      "(for a consistency proof: the earlier checkpoint)");
  check->add_option("PROOF", args->proof, "The proof file (JSON)")->required();
  check->add_option("--checkpoint", args->checkpoint, "A checkpoint file held off the machine");
  check->add_option("--public-key", args->public_key, "The signing key's public half (.pub)");
  check->callback([args, &exit_code] {
    exit_code = cmd_check_proof(args->proof, args->checkpoint, args->public_key);
  });
}

}  // namespace sg::cli
