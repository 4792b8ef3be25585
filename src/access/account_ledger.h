// The one ledger event of a change to accounts (DPA 2018 s.62: an alteration), shared by
// the account life cycle, sessions and second factors. `payload` names the change; it never
// holds a password, its hash, a session token or a second-factor secret.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/result.h"
#include "storage/store.h"

namespace sg::access {

// `reason`: account_admin for an administrator's or the system's change, own_sessions for a
// user ending their own. `user_ids`: the accounts changed.
inline core::Status ledger_account_change(audit::Ledger& ledger, storage::Transaction& tx,
                                          std::string_view actor, std::string_view reason,
                                          std::vector<std::string> user_ids,
                                          const nlohmann::json& payload) {
  SG_TRY(ledger.append(tx, {.actor = std::string(actor),
                            .operation = domain::Operation::kAlteration,
                            .reason = std::string(reason),
                            .record_ids = std::move(user_ids),
                            .payload = payload.dump()}));
  return {};
}

}  // namespace sg::access
