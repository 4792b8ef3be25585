// An independent reviewer's remit — agencies AND a period (issue 6) — on every read path a
// reviewer can reach: records, case lists, the inbox, search, oversight reports, the person
// views (now and "as known at D"), and the link graph (entities, neighbourhoods, paths, hot
// spots, groups, key players, exports, now and as known at D). The remit covers NFP's
// records first recorded in November 2026. One NFP concern was recorded before it, one
// inside it, one after it, and the health trust recorded one inside it; the records before
// and inside were each corrected later (a new version), so the rule must turn on when a
// record was first recorded, not when it was last changed.
#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"
#include "workflow/matched_identity.h"
#include "workflow/network_alerts.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

// A concern recorded by `agency`: `child` seen with the suspect Xavier Stone in his car,
// with `word` in its narrative for search.
json sighting(const std::string& agency, const std::string& child, const std::string& dob,
              const std::string& word, const std::string& date) {
  return {
      {"source_agency", agency},
      {"channel", "phone"},
      {"received_at", date + "T09:00:00Z"},
      {"narrative", "Seen getting into a car, " + word + "."},
      {"children",
       {{{"ref", "c1"}, {"given_name", child}, {"family_name", "Remit"}, {"date_of_birth", dob}}}},
      {"persons",
       {{{"ref", "p1"},
         {"role", "suspect"},
         {"record_id", "PNC-" + word},
         {"given_name", "Xavier"},
         {"family_name", "Stone"},
         {"date_of_birth", "1980-01-01"}}}},
      {"vehicles", {{{"ref", "v1"}, {"registration", "AB12 CDE"}}}},
      {"links",
       {{{"type", "child_seen_in_vehicle"},
         {"from", "c1"},
         {"to", "v1"},
         {"date", date},
         {"confidence", "confirmed"}},
        {{"type", "person_drives_vehicle"},
         {"from", "p1"},
         {"to", "v1"},
         {"date", date},
         {"confidence", "confirmed"}},
        {{"type", "child_seen_with_person"},
         {"from", "c1"},
         {"to", "p1"},
         {"date", date},
         {"confidence", "confirmed"}}}}};
}

// The server's wiring (cli/runtime.cpp): people first, then the graph resolved by them, kept
// current by the listener as concerns arrive.
struct ReviewerRemitApi : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  workflow::People people{*w.store, w.ledger, w.clock, matcher};
  network::LinkGraph graph{std::make_shared<workflow::MatchedPersonIdentity>(people)};
  workflow::NetworkAlerts alerts{*w.store, w.ledger, w.clock, w.ids, graph};
  std::unique_ptr<App> app;
  workflow::Actor system{"system:test", domain::Role::kMashCoordinator, "", ""};
  // Concern ids, and the cases they opened.
  std::string before, inside, after, health;
  std::map<std::string, std::string> case_of, task_of;
  Session reviewer, analyst;

  void SetUp() override {
    w.add_user("reviewer.one", domain::Role::kReviewer);
    w.add_user("analyst.one", domain::Role::kAnalyst);
    w.accounts
        .add_agency({"NHS-NF", "Northfield Health", domain::AgencyKind::kHealth}, "system:test")
        .value();
    w.casework.use_people(people);
    alerts.attach(w.casework);
    before =
        record("2026-10-15", sighting("NFP", "Olive", "2011-01-01", "remitbefore", "2026-10-14"));
    inside =
        record("2026-11-15", sighting("NFP", "Amy", "2012-05-01", "remitinside", "2026-11-14"));
    health =
        record("2026-11-16", sighting("NHS-NF", "Cat", "2013-02-02", "remithealth", "2026-11-15"));
    correct(before, "2026-11-20");  // A correction inside the period of a record from before it.
    complete_first_task(before, "2026-11-21");  // Its task changes inside the period too.
    after = record("2026-12-05", sighting("NFP", "Lara", "2010-03-03", "remitafter", "2026-12-04"));
    correct(inside, "2026-12-06");  // A correction after the period of a record inside it.
    complete_first_task(inside, "2026-12-07");  // Its task changes after the period.
    w.clock.set(at("2026-12-10T10:00:00Z"));

    auto tx = w.store->begin(storage::TxMode::kRead).value();
    auto reviewer_id = tx->user_by_username("reviewer.one").value().id;
    tx.reset();
    workflow::Actor admin{"system:test", domain::Role::kAdmin, "", ""};
    w.grants
        .set_reviewer_scope(admin, reviewer_id, {"NFP"},
                            core::Date::parse_iso("2026-11-01").value(),
                            core::Date::parse_iso("2026-11-30").value())
        .value();
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.people = &people;
    services.network = &graph;
    app = App::create(services, {}).value();
    reviewer = testing::api_login(*app, "reviewer.one");
    analyst = testing::api_login(*app, "analyst.one");
  }

  std::string record(const std::string& day, const json& doc) {
    w.clock.set(at((day + "T10:00:00Z").c_str()));
    auto r = w.casework.record_concern(system, doc);
    EXPECT_TRUE(r.ok()) << r.error().message << " " << r.error().field;
    if (!r.ok()) return {};
    case_of[r->concern_id] = r->case_ids.at(0);
    return r->concern_id;
  }

  // A new version of a concern on `day` (the narrative corrected), ledgered with it.
  void correct(const std::string& id, const std::string& day) {
    w.clock.set(at((day + "T10:00:00Z").c_str()));
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    auto v = tx->record(id).value();
    auto body = json::parse(v.body);
    body["narrative"] = body["narrative"].get<std::string>() + " Corrected.";
    v.body = body.dump();
    v.recorded_at = w.clock.now();
    ASSERT_TRUE(tx->put_record(v, v.version).ok());
    ASSERT_TRUE(w.ledger
                    .append(*tx, {.actor = "system:test",
                                  .operation = domain::Operation::kAlteration,
                                  .reason = "case_work",
                                  .record_ids = {id},
                                  .payload = "{}"})
                    .ok());
    ASSERT_TRUE(tx->commit().ok());
  }

  // Completes the first task on the concern's case on `day` (late), so its inbox row and its
  // record change then.
  void complete_first_task(const std::string& concern, const std::string& day) {
    w.clock.set(at((day + "T10:00:00Z").c_str()));
    auto tasks = w.casework.inbox(system, {.case_id = case_of.at(concern), .open_only = true});
    ASSERT_TRUE(tasks.ok());
    ASSERT_FALSE(tasks->empty());
    task_of[concern] = tasks->front().id;
    auto done = w.casework.complete_task(
        system, tasks->front().id, core::Date::parse_iso(day).value(), "Done late in a test.");
    ASSERT_TRUE(done.ok()) << done.error().message << " " << done.error().field;
  }

  Response get(const std::string& target, const Session& s) {
    return app->handle(testing::api_request("GET", target, &s));
  }
  json get_json(const std::string& target, const Session& s) {
    auto r = get(target, s);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    return r.status == 200 ? json::parse(r.body) : json::object();
  }

  std::vector<std::string> hidden() const { return {before, after, health}; }
  // True when `text` names nothing the reviewer may not see: the hidden concerns, their
  // cases and their children.
  ::testing::AssertionResult names_nothing_hidden(const std::string& text) {
    for (const auto& id : hidden()) {
      if (text.find(id) != std::string::npos)
        return ::testing::AssertionFailure() << "concern " << id;
      if (text.find(case_of.at(id)) != std::string::npos) {
        return ::testing::AssertionFailure() << "case " << case_of.at(id);
      }
    }
    for (const char* name :
         {"Olive", "Lara", "Cat", "PNC-remitbefore", "PNC-remitafter", "PNC-remithealth"}) {
      if (text.find(name) != std::string::npos) return ::testing::AssertionFailure() << name;
    }
    return ::testing::AssertionSuccess();
  }
  std::vector<std::string> last_consulted() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx->ledger_last().value()->record_ids;
  }
};

TEST_F(ReviewerRemitApi, RecordsTurnOnWhenFirstRecordedNotWhenLastCorrected) {
  // Inside the period, though corrected after it: readable, as is its case.
  EXPECT_EQ(get("/api/v1/records/" + inside, reviewer).status, 200);
  EXPECT_EQ(get("/api/v1/records/" + case_of[inside], reviewer).status, 200);
  // Before the period, though corrected inside it; after it; another agency's inside it.
  for (const auto& id : hidden()) {
    EXPECT_EQ(get("/api/v1/records/" + id, reviewer).status, 403) << id;
    EXPECT_EQ(get("/api/v1/records/" + case_of[id], reviewer).status, 403) << id;
  }
  // As known at a date after all of them, the same.
  EXPECT_EQ(get("/api/v1/records/" + inside + "?as_of=2026-12-08T00:00:00Z", reviewer).status, 200);
  EXPECT_EQ(get("/api/v1/records/" + before + "?as_of=2026-12-08T00:00:00Z", reviewer).status, 403);
}

TEST_F(ReviewerRemitApi, ListsSearchAndReportsShowOnlyThePeriod) {
  auto cases = get("/api/v1/cases?status=all", reviewer);
  ASSERT_EQ(cases.status, 200);
  EXPECT_NE(cases.body.find(case_of[inside]), std::string::npos);
  EXPECT_TRUE(names_nothing_hidden(cases.body));

  // A task made inside the period and completed after it is listed; one made before the
  // period and completed inside it is not.
  auto inbox = get("/api/v1/inbox?inbox=all&status=all", reviewer);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_NE(inbox.body.find(task_of[inside]), std::string::npos);
  EXPECT_EQ(inbox.body.find(task_of[before]), std::string::npos);
  EXPECT_TRUE(names_nothing_hidden(inbox.body));
  EXPECT_EQ(get("/api/v1/records/" + task_of[inside], reviewer).status, 200);
  EXPECT_EQ(get("/api/v1/records/" + task_of[before], reviewer).status, 403);

  auto found = get_json("/api/v1/search/concerns?q=remitinside", reviewer);
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["concern_id"], inside);
  for (const char* word : {"remitbefore", "remitafter", "remithealth"}) {
    EXPECT_EQ(get_json(std::string("/api/v1/search/concerns?q=") + word, reviewer)["items"].size(),
              0u)
        << word;
  }

  // Annex A lists name each contact (concern) and referral (case) counted.
  auto annex = get("/api/v1/oversight/annex-a?from=2026-10-01&to=2026-12-31", reviewer);
  ASSERT_EQ(annex.status, 200) << annex.body;
  EXPECT_NE(annex.body.find(inside), std::string::npos);
  EXPECT_TRUE(names_nothing_hidden(annex.body));
}

TEST_F(ReviewerRemitApi, PersonViewsShowOnlyRecordsFromThePeriod) {
  // Xavier Stone is one person across the four concerns (same name and date of birth).
  auto xavier = get_json("/api/v1/persons/" + inside + ":p1", reviewer);
  ASSERT_EQ(xavier["records"].size(), 1u) << xavier.dump();
  EXPECT_EQ(xavier["records"][0]["concern_id"], inside);
  auto analyst_view = get_json("/api/v1/persons/" + inside + ":p1", analyst);
  EXPECT_EQ(analyst_view["records"].size(), 3u) << "NFP's analyst sees all three of NFP's";

  EXPECT_EQ(get("/api/v1/persons/" + inside + ":c1", reviewer).status, 200);
  for (const auto& id : hidden()) {
    EXPECT_EQ(get("/api/v1/persons/" + id + ":c1", reviewer).status, 404) << id;
    EXPECT_EQ(get("/api/v1/persons/" + id + ":c1?as_of=2026-12-08T00:00:00Z", reviewer).status, 404)
        << id;
  }
  auto then = get_json("/api/v1/persons/" + inside + ":p1?as_of=2026-12-08T00:00:00Z", reviewer);
  ASSERT_EQ(then["records"].size(), 1u);
  EXPECT_EQ(then["records"][0]["concern_id"], inside);

  // Looking a person up finds only the record inside the remit.
  auto match =
      get("/api/v1/persons/match?given_name=Xavier&family_name=Stone&date_of_birth=1980-01-01",
          reviewer);
  ASSERT_EQ(match.status, 200) << match.body;
  auto matches = json::parse(match.body)["matches"];
  ASSERT_EQ(matches.size(), 1u) << match.body;
  EXPECT_EQ(matches[0]["record_id"], inside + ":p1");
}

TEST_F(ReviewerRemitApi, TheLinkGraphAdmitsOnlyConcernsFirstRecordedInThePeriod) {
  std::string car = testing::entity_labelled(graph, "AB12 CDE"),
              amy = testing::entity_labelled(graph, "Amy Remit"),
              olive = testing::entity_labelled(graph, "Olive Remit"),
              lara = testing::entity_labelled(graph, "Lara Remit"),
              cat = testing::entity_labelled(graph, "Cat Remit");
  ASSERT_FALSE(car.empty() || amy.empty() || olive.empty() || lara.empty() || cat.empty());

  for (std::string as_of : {"", "&as_of=2026-12-08T00:00:00Z"}) {
    SCOPED_TRACE(as_of);
    auto entity = get_json("/api/v1/network/entities/" + car + "?k=1" + as_of, reviewer);
    EXPECT_EQ(testing::link_labels(entity["links"]),
              (std::set<std::string>{"Amy Remit", "Xavier Stone"}));
    EXPECT_TRUE(names_nothing_hidden(entity.dump()));
    EXPECT_EQ(last_consulted(), std::vector<std::string>{inside});

    auto hood = get_json("/api/v1/network/neighbourhood?entity=" + car + "&k=2" + as_of, reviewer);
    ASSERT_EQ(hood["children"].size(), 1u) << hood.dump();
    EXPECT_TRUE(names_nothing_hidden(hood.dump()));

    // Hidden children are answered exactly as unknown ids are.
    for (const auto& id : {olive, lara, cat}) {
      EXPECT_EQ(get("/api/v1/network/entities/" + id + "?k=1" + as_of, reviewer).status, 404);
      EXPECT_EQ(get("/api/v1/network/path?from=" + amy + "&to=" + id + as_of, reviewer).status,
                404);
    }
    EXPECT_EQ(get("/api/v1/network/path?from=" + amy + "&to=" + car + as_of, reviewer).status, 200);

    // Counts are over what the reviewer may see: one child by the car, not four.
    auto spots = get_json("/api/v1/network/hot-spots?limit=10" + as_of, reviewer)["hot_spots"];
    ASSERT_EQ(spots.size(), 1u);
    EXPECT_EQ(spots[0]["entity"]["id"], car);
    EXPECT_EQ(spots[0]["children"], 1);

    auto groups = get_json("/api/v1/network/communities?limit=10" + as_of, reviewer);
    int children = 0;
    for (const auto& g : groups["communities"]) children += g["children"].get<int>();
    EXPECT_EQ(children, 1);
    EXPECT_EQ(groups["entities"], 3) << "Amy, Xavier and the car";
    EXPECT_TRUE(groups["graph_version"].is_null()) << "it counts every concern added";
    EXPECT_TRUE(names_nothing_hidden(groups.dump()));

    // Key players' scores are computed over the reviewer's graph alone.
    auto players = get_json("/api/v1/network/key-players?limit=10" + as_of, reviewer);
    ASSERT_EQ(players["key_players"].size(), 1u);
    const auto& x = players["key_players"][0];
    EXPECT_EQ(x["entity"]["label"], "Xavier Stone");
    EXPECT_EQ(x["entity"]["record_ids"], json::array({"PNC-remitinside"}));
    EXPECT_EQ(x["exploitation_children"], 1);
    EXPECT_EQ(x["degree"], 2);
    EXPECT_TRUE(names_nothing_hidden(players.dump()));

    for (std::string format : {"graphml", "ftm", "i2&part=entities", "i2&part=links"}) {
      auto exported = get("/api/v1/network/export?format=" + format + as_of, reviewer);
      ASSERT_EQ(exported.status, 200) << format;
      EXPECT_TRUE(names_nothing_hidden(exported.body)) << format;
      EXPECT_NE(exported.body.find(format == "i2&part=links" ? inside : "Amy"), std::string::npos)
          << format;
    }
  }

  // Before the later concern was recorded, the same: the period, not the date, hides it.
  auto early = get_json("/api/v1/network/hot-spots?as_of=2026-11-25T00:00:00Z", reviewer);
  EXPECT_EQ(early["hot_spots"][0]["children"], 1);

  // NFP's analyst, with no period, sees NFP's three children by the car and Xavier's three.
  EXPECT_EQ(get_json("/api/v1/network/hot-spots", analyst)["hot_spots"][0]["children"], 3);
  auto theirs = get_json("/api/v1/network/key-players", analyst)["key_players"];
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0]["exploitation_children"], 3);
  EXPECT_EQ(theirs[0]["degree"], 4);
}

TEST_F(ReviewerRemitApi, TheGraphLoadedAtStartKnowsWhenEachConcernWasFirstRecorded) {
  // The server loads the graph from the store at start; a corrected concern keeps the time of
  // its first version, as the live graph does.
  network::LinkGraph loaded{std::make_shared<workflow::MatchedPersonIdentity>(people)};
  ASSERT_TRUE(loaded.load(*w.store, w.clock.now()).ok());
  auto first_recorded = [](const network::LinkGraph& g) {
    return g.read([](const network::GraphData& d) {
      std::map<std::string, core::Timestamp> out;
      for (const auto& link : d.links) {
        for (const auto& ev : link.evidence) out[ev.concern_id] = ev.recorded_at;
      }
      return out;
    });
  };
  auto times = first_recorded(loaded);
  EXPECT_EQ(times, first_recorded(graph));
  EXPECT_EQ(times.at(before), at("2026-10-15T10:00:00Z"));
  EXPECT_EQ(times.at(inside), at("2026-11-15T10:00:00Z"));
}

}  // namespace
}  // namespace sg::api
