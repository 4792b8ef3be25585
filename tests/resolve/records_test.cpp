#include "resolve/records.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace sg::resolve {
namespace {

std::vector<FieldMapping> person_fields() {
  return {{FieldKind::kGivenName, "first"},
          {FieldKind::kFamilyName, "last"},
          {FieldKind::kDateOfBirth, "dob"},
          {FieldKind::kAddress, "house"},
          {FieldKind::kAddress, "street"}};
}

core::Result<RecordStore> load(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < texts.size(); ++i) names.push_back("in" + std::to_string(i) + ".csv");
  return RecordStore::load_texts(texts, names, "id", person_fields());
}

TEST(RecordStore, NormalisesAndInternsValues) {
  auto store =
      load({"id,first,last,dob,house,street\n"
            "a, Ayesha , KHAN,2001-02-03,12,High St\n"
            "b,ayesha,Khan,03/02/2001,,High St\n"
            "c,,,not a date,,\n"});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_EQ(store->size(), 3u);
  EXPECT_EQ(store->value(0, 0).text, "ayesha");
  EXPECT_EQ(store->value_id(0, 0), store->value_id(0, 1));  // One stored value, shared.
  EXPECT_EQ(store->value(0, 0).count, 2u);
  EXPECT_EQ(store->value(2, 1).text, "2001-02-03");
  EXPECT_EQ(store->value(3, 0).text, "12 high st");  // Address columns joined in order.
  EXPECT_EQ(store->value(3, 1).text, "high st");
  EXPECT_EQ(store->value_id(0, 2), 0u);     // Missing.
  EXPECT_EQ(store->value_id(2, 2), 0u);     // Unreadable date counts as missing...
  EXPECT_EQ(store->table(2).unparsed, 1u);  // ...and is counted.
  EXPECT_EQ(store->find("b"), 1);
  EXPECT_EQ(store->find("zz"), -1);
}

TEST(RecordStore, TakesNamesFromAFullNameWhenThePartsAreMissing) {
  auto store = RecordStore::load_texts(
      {"id,name,surname\n1,Dr Ayesha Noor Khan,\n2,\"Khan, Ayesha\",Khan\n"}, {"x.csv"}, "id",
      {{FieldKind::kFullName, "name"}, {FieldKind::kFamilyName, "surname"}});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->value(0, 0).text, "ayesha");  // given_name
  EXPECT_EQ(store->value(1, 0).text, "khan");    // family_name
  EXPECT_EQ(store->value(0, 1).text, "ayesha");
  EXPECT_EQ(store->value(1, 1).text, "khan");
}

TEST(RecordStore, AllowsAColumnToBeAbsentFromSomeInputs) {
  auto store = load({"id,first,last\n1,ann,lee\n", "id,first,dob,house,street\n2,ann,2001,1,x\n"});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(store->source(1).file, 1);
  EXPECT_EQ(store->value_id(1, 1), 0u);
}

TEST(RecordStoreErrors, NamesTheFileWhenTheIdColumnIsMissing) {
  auto store = load({"id,first\n1,a\n", "ident,first\n2,b\n"});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("in1.csv:1: no id column 'id'"), std::string::npos)
      << store.error().message;
}

TEST(RecordStoreErrors, NamesBothPlacesOfADuplicateIdAcrossFiles) {
  auto store = load({"id,first\n1,a\n2,b\n", "id,first\n3,c\n\n2,d\n"});
  ASSERT_FALSE(store.ok());
  const std::string& m = store.error().message;
  EXPECT_NE(m.find("in1.csv:4: duplicate id '2'"), std::string::npos) << m;
  EXPECT_NE(m.find("first seen at in0.csv:3"), std::string::npos) << m;
}

TEST(RecordStoreErrors, ReportsRaggedRowsInvalidUtf8AndEmptyIds) {
  auto ragged = load({"id,first\n1,a\n2,b,c\n"});
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.error().message.find("in0.csv:3:"), std::string::npos);
  auto utf8 = load({"id,first\n1,\xC3\n"});
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().message.find("in0.csv:2: invalid UTF-8"), std::string::npos);
  auto empty = load({"id,first\n,a\n"});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("in0.csv:2: empty id"), std::string::npos);
}

TEST(RecordStoreErrors, ReportsAFieldColumnThatNoInputHas) {
  auto store = RecordStore::load_texts({"id,first\n1,a\n"}, {"a.csv"}, "id",
                                       {{FieldKind::kGivenName, "given"}});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("no input has the column 'given'"), std::string::npos);
}

TEST(RecordStoreErrors, ReportsAnUnreadableFileByName) {
  testing::TempDir dir;
  auto store = RecordStore::load({dir.path("missing.csv")}, "id", person_fields());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("missing.csv: cannot open"), std::string::npos);
}

TEST(RecordStore, AddsRecordsOneByOneForOnlineUse) {
  auto store = RecordStore::create(person_fields());
  ASSERT_TRUE(store.ok());
  auto r = store->add("x1", {}, {"Bob", "Smith", "2001", "", ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(store->value(0, *r).text, "bob");
  EXPECT_EQ(store->add("x1", {}, {}).error().code, core::Code::kAlreadyExists);
  EXPECT_EQ(store->add("", {}, {}).error().code, core::Code::kInvalidArgument);
}

TEST(RecordStore, ErasingARecordForgetsTheValuesOnlyItHeld) {
  auto store = RecordStore::create(person_fields());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add("a", {}, {"Ayesha", "Khan", "2001-02-03", "12 Quayside Row"}).ok());
  ASSERT_TRUE(store->add("b", {}, {"Ayesha", "Zbigniewska", "sometime", "12 Quayside Row"}).ok());
  ASSERT_TRUE(store->add("c", {}, {"Bea", "Khan", "", ""}).ok());
  const std::uint32_t surname_b = store->value_id(1, 1);
  const std::uint32_t given = store->value_id(0, 1);
  ASSERT_EQ(store->value(0, 1).count, 2u);
  ASSERT_EQ(store->table(1).present, 3u);
  ASSERT_EQ(store->table(3).values[store->value_id(3, 0)].count, 2u);

  store->erase(1);

  EXPECT_TRUE(store->erased(1));
  EXPECT_EQ(store->id(1), "");
  EXPECT_EQ(store->find("b"), -1);
  EXPECT_EQ(store->size(), 3u);  // Slots keep their numbers...
  EXPECT_EQ(store->live(), 2u);  // ...but two records are held.
  // A value others hold counts one fewer; one only b held is forgotten, text and all.
  EXPECT_EQ(store->table(0).values[given].count, 1u);
  EXPECT_EQ(store->table(3).values[store->value_id(3, 0)].count, 1u);
  EXPECT_EQ(store->table(1).present, 2u);
  EXPECT_EQ(store->table(1).values[surname_b].count, 0u);
  EXPECT_EQ(store->table(1).values[surname_b].text, "");
  EXPECT_FALSE(store->table(1).value_ids.contains("zbigniewska"));
  for (std::size_t k = 0; k < store->comparators().size(); ++k) {
    const auto& t = store->table(k);
    EXPECT_EQ(store->value_id(k, 1), 0u);
    for (const auto& [raw, id] : t.raw_ids) {
      EXPECT_EQ(raw.find("Zbigniewska"), std::string::npos);
      EXPECT_EQ(raw.find("sometime"), std::string::npos);
    }
    // Derived keys no held value uses are forgotten too (here b's surname's phonetic key).
    for (std::size_t key = 1; key < t.keys.size(); ++key) {
      EXPECT_EQ(t.keys[key].empty(), t.key_refs[key] == 0) << k << " " << key;
    }
  }
  // The same surname later is a new value, counted once.
  auto d = store->add("d", {}, {"Dora", "Zbigniewska", "", ""});
  ASSERT_TRUE(d.ok());
  EXPECT_NE(store->value_id(1, *d), surname_b);
  EXPECT_EQ(store->value(1, *d).count, 1u);
  EXPECT_EQ(store->value(1, *d).text, "zbigniewska");
}

}  // namespace
}  // namespace sg::resolve
