// The authorisation matrix, generated from the access policy (domain/policy.h).
//
// 1. Route check: every signed-in endpoint × every role. A role the endpoint table does not
//    let through gets 403 before the handler runs; a role it lets through never gets the
//    route check's 403.
// 2. Need to know: every role × record endpoint × marking × relationship of the reader's
//    agency to the record's (own, shared by agreement, unshared, shared then revoked). The
//    expected answer comes from the role's row in the policy table (its read bases), and the
//    test asserts both no leaks (nothing unexpected is returned, listed or found) and no
//    wrongful denials (everything expected is).
#include <gtest/gtest.h>

#include <set>

#include "api/app.h"
#include "api_client.h"
#include "domain/policy.h"
#include "test_support.h"

namespace sg::api {
namespace {

using domain::Basis;
using domain::Function;
using domain::Marking;
using domain::Role;
using nlohmann::json;
using testing::at;

enum class Relationship { kOwn, kShared, kUnshared, kRevoked };
constexpr Relationship kRelationships[] = {Relationship::kOwn, Relationship::kShared,
                                           Relationship::kUnshared, Relationship::kRevoked};
constexpr Marking kMarkings[] = {Marking::kOfficial, Marking::kOfficialSensitive};

const char* agency_code(Relationship r) {
  switch (r) {
    case Relationship::kOwn:
      return "OWN";
    case Relationship::kShared:
      return "SHR";
    case Relationship::kUnshared:
      return "UNS";
    case Relationship::kRevoked:
      return "REV";
  }
  return "";
}

const char* relationship_name(Relationship r) {
  switch (r) {
    case Relationship::kOwn:
      return "own";
    case Relationship::kShared:
      return "shared";
    case Relationship::kUnshared:
      return "unshared";
    case Relationship::kRevoked:
      return "revoked";
  }
  return "";
}

bool has_basis(Role role, Basis basis) {
  const auto& bases = domain::read_bases(role);
  return std::find(bases.begin(), bases.end(), basis) != bases.end();
}

// What the policy table says a role may read, by relationship. Reviewers' remits cover the
// own and shared agencies (set up below), so for them "own" and "shared" mean "in remit".
bool expect_visible(Role role, Relationship r) {
  switch (r) {
    case Relationship::kOwn:
      return has_basis(role, Basis::kOwnAgency) || has_basis(role, Basis::kReviewerScope);
    case Relationship::kShared:
      return has_basis(role, Basis::kSharingAgreement) || has_basis(role, Basis::kReviewerScope);
    case Relationship::kUnshared:
    case Relationship::kRevoked:
      return false;
  }
  return false;
}

bool may(Role role, std::string_view operation) {
  const auto* rule = domain::endpoint_rule(operation);
  return rule != nullptr && domain::may_call(role, *rule);
}

using Session = testing::ApiSession;

struct Record {
  Relationship relationship;
  Marking marking;
  std::string concern_id, case_id, task_id, word;
};

class AuthorisationMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new Fixture(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  struct Fixture {
    testing::World w;
    workflow::Retention retention{*w.store, w.ledger, w.clock, w.ids};
    std::unique_ptr<App> app;
    std::map<Role, Session> sessions;
    std::vector<Record> records;
    workflow::Actor system{"system:test", Role::kAdmin, "", ""};

    Fixture() {
      w.clock.set(at("2026-12-01T10:00:00Z"));
      for (auto r : kRelationships) {
        w.accounts
            .add_agency({agency_code(r), std::string("Agency ") + agency_code(r)}, "system:test")
            .value();
      }
      w.share("SHR", "OWN");
      w.share("REV", "OWN");
      std::map<Role, std::string> ids;
      for (auto role : domain::kAllRoles) {
        std::string name = "user." + std::string(domain::role_name(role));
        std::replace(name.begin(), name.end(), '_', '-');
        ids[role] = w.accounts
                        .add_user({name, "Matrix User", "OWN", role, "correct horse battery", ""},
                                  "system:test")
                        .value()
                        .id;
      }
      w.grants
          .set_reviewer_scope(system, ids[Role::kReviewer], {"OWN", "SHR"},
                              core::Date::from_ymd(2026, 1, 1).value(),
                              core::Date::from_ymd(2026, 12, 31).value())
          .value();
      int n = 0;
      for (auto r : kRelationships) {
        for (auto m : kMarkings) {
          Record rec{r, m, "", "", "", "matrixword" + std::string(1, static_cast<char>('a' + n))};
          json concern = {{"source_agency", agency_code(r)},
                          {"channel", "phone"},
                          {"received_at", "2026-12-01T09:00:00Z"},
                          {"marking", domain::marking_name(m)},
                          {"narrative", "Seen near the park, " + rec.word + "."},
                          {"children",
                           {{{"ref", "c1"},
                             {"given_name", "Child" + std::string(1, static_cast<char>('A' + n))},
                             {"family_name", "Matrix"},
                             {"date_of_birth", "2012-05-0" + std::to_string(1 + n % 8)}}}}};
          auto result = w.casework.record_concern(system, concern).value();
          rec.concern_id = result.concern_id;
          rec.case_id = result.case_ids.at(0);
          auto tasks =
              w.casework.inbox(system, {.case_id = rec.case_id, .open_only = true}).value();
          rec.task_id = tasks.at(0).id;
          records.push_back(rec);
          ++n;
        }
      }
      // The REV agreement ends now: what it opened must fail on the very next request.
      auto agreements = w.grants.sharing(system, false).value();
      auto rev = w.store->begin(storage::TxMode::kRead).value()->agency_by_code("REV").value();
      for (const auto& g : agreements) {
        if (g.object == rev.id) w.grants.revoke(system, g.id, "agreement ended").value();
      }
      app = App::create({.store = *w.store,
                         .ledger = w.ledger,
                         .accounts = w.accounts,
                         .clock = w.clock,
                         .casework = w.casework,
                         .reports = w.reports,
                         .grants = &w.grants,
                         .retention = &retention},
                        {})
                .value();
      for (auto role : domain::kAllRoles) {
        std::string name = "user." + std::string(domain::role_name(role));
        std::replace(name.begin(), name.end(), '_', '-');
        sessions[role] = login(name);
      }
    }

    Response send(const std::string& method, const std::string& target, const Session& s,
                  const json& body = nullptr, const std::string& reason = "case_work") {
      return app->handle(testing::api_request(method, target, &s, body, reason));
    }

    Session login(const std::string& user) { return testing::api_login(*app, user); }
  };
  static Fixture* world_;
};

AuthorisationMatrix::Fixture* AuthorisationMatrix::world_ = nullptr;

std::string label(Role role, const Record& r) {
  return std::string(domain::role_name(role)) + " × " + relationship_name(r.relationship) + " × " +
         std::string(domain::marking_name(r.marking));
}

bool listed(const Response& res, const char* key, const std::string& id) {
  if (res.status != 200) return false;
  auto body = json::parse(res.body);
  for (const auto& item : body["items"]) {
    if (item.value(key, "") == id) return true;
  }
  return false;
}

TEST_F(AuthorisationMatrix, EveryEndpointAdmitsExactlyTheRolesThePolicyNames) {
  auto& f = *world_;
  int checked = 0;
  for (const auto& route : f.app->router().routes()) {
    if (route.auth == Auth::kPublic) continue;
    ASSERT_NE(domain::endpoint_rule(route.operation_id), nullptr) << route.operation_id;
    std::string path = route.path;
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, "00000000-0000-7000-8000-000000000000");
    }
    for (auto role : domain::kAllRoles) {
      if (route.operation_id == "logout") continue;  // Would end the shared session.
      auto res = f.send(route.method, path, f.sessions[role], json::object());
      bool denied_by_route =
          res.status == 403 && res.body.find("may not use this resource") != std::string::npos;
      EXPECT_EQ(denied_by_route, !may(role, route.operation_id))
          << route.operation_id << " as " << domain::role_name(role) << " → " << res.status;
      // 503: a service this test does not start (the people matcher, the link graph).
      EXPECT_TRUE(res.status < 500 || res.status == 503)
          << route.operation_id << " as " << domain::role_name(role) << " → " << res.status;
      ++checked;
      // An administrator ending everyone's sessions signs every role out: sign them in again.
      if (route.operation_id == "endAllSessions" && res.status == 200) {
        for (auto r : domain::kAllRoles) {
          std::string name = "user." + std::string(domain::role_name(r));
          std::replace(name.begin(), name.end(), '_', '-');
          f.sessions[r] = f.login(name);
        }
      }
    }
  }
  EXPECT_GT(checked, 300) << "the matrix covers every signed-in route for every role";
}

TEST_F(AuthorisationMatrix, RecordsAreReadExactlyOnNeedToKnow) {
  auto& f = *world_;
  int leaks = 0, denials = 0, cells = 0;
  auto check = [&](bool expected, bool actual, const std::string& what) {
    ++cells;
    if (actual && !expected) {
      ++leaks;
      ADD_FAILURE() << "leak: " << what;
    } else if (!actual && expected) {
      ++denials;
      ADD_FAILURE() << "wrongful denial: " << what;
    }
  };
  for (auto role : domain::kAllRoles) {
    const auto& s = f.sessions[role];
    auto cases = f.send("GET", "/api/v1/cases?status=all", s);
    auto inbox = f.send("GET", "/api/v1/inbox?inbox=all&status=all", s);
    for (const auto& r : f.records) {
      bool visible = expect_visible(role, r.relationship);
      auto who = label(role, r);
      // A record, with a reason code.
      bool read = may(role, "getRecord") && visible;
      check(read, f.send("GET", "/api/v1/records/" + r.concern_id, s).status == 200,
            who + " getRecord(concern)");
      check(read, f.send("GET", "/api/v1/records/" + r.case_id, s).status == 200,
            who + " getRecord(case)");
      check(read, f.send("GET", "/api/v1/records/" + r.task_id, s).status == 200,
            who + " getRecord(task)");
      // Without a reason code only OFFICIAL records may be consulted.
      auto bare = f.send("GET", "/api/v1/records/" + r.concern_id, s, nullptr, "");
      check(read && r.marking == Marking::kOfficial, bare.status == 200,
            who + " getRecord without a reason");
      if (read && r.marking == Marking::kOfficialSensitive) {
        EXPECT_EQ(bare.status, 400) << who;
        EXPECT_EQ(json::parse(bare.body)["field"], "reason") << who;
      }
      // Lists and search.
      check(may(role, "listCases") && visible, listed(cases, "case_id", r.case_id),
            who + " listCases");
      check(may(role, "inbox") && visible && allowed(role, Function::kReadCasework),
            listed(inbox, "id", r.task_id), who + " inbox");
      auto found = f.send("GET", "/api/v1/search/concerns?q=" + r.word, s);
      check(may(role, "searchConcerns") && visible, listed(found, "concern_id", r.concern_id),
            who + " searchConcerns");
      // The case team, the record's trail (auditors read any record's trail: ids only).
      check(may(role, "getCaseTeam") && visible,
            f.send("GET", "/api/v1/cases/" + r.case_id + "/team", s).status == 200,
            who + " getCaseTeam");
      check(may(role, "recordLedger") && (visible || allowed(role, Function::kAuditLedger)),
            f.send("GET", "/api/v1/records/" + r.case_id + "/ledger", s).status == 200,
            who + " recordLedger");
      // A write: screening the child's risk on the case.
      check(
          may(role, "screenRisk") && visible,
          f.send("POST", "/api/v1/cases/" + r.case_id + "/screenings", s, json::object()).status ==
              201,
          who + " screenRisk");
    }
  }
  EXPECT_EQ(leaks, 0);
  EXPECT_EQ(denials, 0);
  EXPECT_EQ(cells, 7 * 8 * 10) << "roles × (relationship × marking) × probes";
}

}  // namespace
}  // namespace sg::api
