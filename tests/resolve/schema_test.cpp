#include "resolve/schema.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

TEST(FieldKind, ParsesEveryKindAndRejectsUnknownOnes) {
  for (const char* k : {"given_name", "family_name", "full_name", "date_of_birth", "sex", "address",
                        "locality", "postcode", "place_of_birth", "phone", "email",
                        "vehicle_registration", "identifier", "attribute"}) {
    auto kind = parse_field_kind(k);
    ASSERT_TRUE(kind.ok()) << k;
    EXPECT_EQ(field_kind_name(*kind), k);
  }
  auto bad = parse_field_kind("surname");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("unknown KIND 'surname'"), std::string::npos);
  EXPECT_EQ(bad.error().field, "--field");
}

TEST(FieldMapping, NeedsKindEqualsColumn) {
  auto m = parse_field_mapping("family_name=surname");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, FieldKind::kFamilyName);
  EXPECT_EQ(m->column, "surname");
  EXPECT_FALSE(parse_field_mapping("family_name").ok());
  EXPECT_FALSE(parse_field_mapping("=x").ok());
  EXPECT_FALSE(parse_field_mapping("family_name=").ok());
  EXPECT_FALSE(parse_field_mapping("colour=x").ok());
}

TEST(Comparators, JoinAddressesAndKeepAttributesAndIdentifiersApart) {
  std::vector<FieldMapping> fields = {
      {FieldKind::kAttribute, "state"}, {FieldKind::kAddress, "street"},
      {FieldKind::kAddress, "town"},    {FieldKind::kAttribute, "colour"},
      {FieldKind::kIdentifier, "nhs"},  {FieldKind::kFamilyName, "surname"},
      {FieldKind::kFullName, "name"},
  };
  auto c = derive_comparators(fields);
  ASSERT_TRUE(c.ok());
  std::vector<std::string> names;
  for (const auto& x : *c) names.push_back(x.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"given_name", "family_name", "address", "identifier:nhs",
                                      "attribute:state", "attribute:colour"}));
  EXPECT_EQ((*c)[2].columns, (std::vector<std::string>{"street", "town"}));
  EXPECT_TRUE((*c)[0].from_full_name);
}

TEST(Comparators, RefuseMoreThanTheModelCanHold) {
  std::vector<FieldMapping> fields;
  for (int i = 0; i < 20; ++i) fields.push_back({FieldKind::kAttribute, "c" + std::to_string(i)});
  EXPECT_FALSE(derive_comparators(fields).ok());
}

}  // namespace
}  // namespace sg::resolve
