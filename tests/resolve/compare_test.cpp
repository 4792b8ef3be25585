#include "resolve/compare.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

// A store of two-record pairs: for each pair of raw values, records "l<i>" and "r<i>".
class Levels {
 public:
  explicit Levels(std::vector<FieldMapping> fields) : store_(RecordStore::create(fields).value()) {}
  std::uint8_t level(std::string_view name, std::string_view a, std::string_view b) {
    for (std::size_t k = 0; k < store_.comparators().size(); ++k) {
      if (store_.comparators()[k].name == name) return level(k, a, b);
    }
    ADD_FAILURE() << "no comparator " << name;
    return 0;
  }
  std::uint8_t level(std::size_t k, std::string_view a, std::string_view b) {
    std::vector<std::string_view> ra(store_.comparators().size()), rb(ra.size());
    ra[k] = a;
    rb[k] = b;
    std::string n = std::to_string(next_++);
    auto x = store_.add("l" + n, {}, ra).value();
    auto y = store_.add("r" + n, {}, rb).value();
    return compare_level(store_, k, x, y);
  }
  RecordStore& store() { return store_; }

 private:
  RecordStore store_;
  int next_ = 0;
};

TEST(CompareNames, RanksExactVariantTypoAndSoundAlike) {
  Levels l({{FieldKind::kGivenName, "g"}});
  EXPECT_EQ(l.level(0, "Robert", "ROBERT"), 3);
  EXPECT_EQ(l.level(0, "Robert", "Bob"), 2);         // Nickname.
  EXPECT_EQ(l.level(0, "Mohammed", "Mohd"), 2);      // Transliteration variant.
  EXPECT_EQ(l.level(0, "Jonathan", "Jonathon"), 2);  // One edit.
  EXPECT_EQ(l.level(0, "Smith", "Smythe"), 1);       // Jaro-Winkler 0.86.
  EXPECT_EQ(l.level(0, "Philips", "Fillips"), 1);    // Same sound (Double Metaphone FLPS).
  EXPECT_EQ(l.level(0, "Robert", "Aisha"), 0);
  EXPECT_EQ(l.level(0, "Robert", ""), kMissing);
}

TEST(CompareNames, ScoresNamesWrittenTheOtherWayRoundAsClose) {
  Levels l({{FieldKind::kGivenName, "g"}, {FieldKind::kFamilyName, "f"}});
  auto& s = l.store();
  auto a = s.add("a", {}, {"Snell", "Sophie"}).value();
  auto b = s.add("b", {}, {"Sophie", "Snell"}).value();
  std::uint8_t levels[2];
  compare_record_pair(s, a, b, levels);
  EXPECT_EQ(levels[0], 2);
  EXPECT_EQ(levels[1], 2);
}

TEST(CompareDates, RecognisesTyposSwapsAndNearDates) {
  Levels l({{FieldKind::kDateOfBirth, "d"}});
  EXPECT_EQ(l.level(0, "2001-02-03", "03/02/2001"), 3);
  EXPECT_EQ(l.level(0, "2001-02-03", "2001-03-02"), 2);  // Day and month swapped.
  EXPECT_EQ(l.level(0, "2001-02-03", "2001-02-08"), 2);  // One digit.
  EXPECT_EQ(l.level(0, "2001-02-03", "2002-02-03"), 2);  // A year out.
  EXPECT_EQ(l.level(0, "2001-02-28", "2001-03-10"), 2);  // Within 31 days.
  EXPECT_EQ(l.level(0, "2001-02-03", "2001-09-17"), 1);  // Same year.
  EXPECT_EQ(l.level(0, "2001-02-03", "1987-09-17"), 0);
  EXPECT_EQ(l.level(0, "2001", "2001-09-17"), 1);  // Partial agrees.
  EXPECT_EQ(l.level(0, "2001-09", "2001-09-17"), 2);
  EXPECT_EQ(l.level(0, "2001-08", "2001-09-17"), 0);
}

TEST(CompareAddresses, CountsWordsInCommonAllowingTypos) {
  Levels l({{FieldKind::kAddress, "a"}});
  EXPECT_EQ(l.level(0, "12 High Street", "12 high street"), 3);
  EXPECT_EQ(l.level(0, "12 High Street Leeds", "12 High Stret Leeds"), 2);
  EXPECT_EQ(l.level(0, "12 High Street", "High Street"), 2);
  EXPECT_EQ(l.level(0, "12 High Street Leeds", "14 High Road Leeds"), 1);
  EXPECT_EQ(l.level(0, "12 High Street", "3 Low Lane"), 0);
}

TEST(ComparePostcodes, UsesSectorAndDistrictForUkPostcodes) {
  Levels l({{FieldKind::kPostcode, "p"}});
  EXPECT_EQ(l.level(0, "S1 2HE", "s12he"), 3);
  EXPECT_EQ(l.level(0, "S1 2HE", "S1 2AB"), 2);  // Same sector.
  EXPECT_EQ(l.level(0, "S1 2HE", "S1 4AB"), 1);  // Same district.
  EXPECT_EQ(l.level(0, "S1 2HE", "LS6 4AB"), 0);
  EXPECT_EQ(l.level(0, "4011", "4012"), 2);  // Not UK: one edit.
}

TEST(CompareIdentifiersAndContacts, AllowOneEditOrMisreading) {
  Levels l({{FieldKind::kIdentifier, "i"},
            {FieldKind::kPhone, "p"},
            {FieldKind::kVehicleRegistration, "v"},
            {FieldKind::kEmail, "e"},
            {FieldKind::kSex, "s"}});
  EXPECT_EQ(l.level("identifier:i", "943 476 5919", "9434765919"), 2);
  EXPECT_EQ(l.level("identifier:i", "9434765919", "9434765991"), 1);  // Transposition.
  EXPECT_EQ(l.level("identifier:i", "9434765919", "1234567890"), 0);
  EXPECT_EQ(l.level("phone", "07700 900123", "+447700900123"), 2);
  EXPECT_EQ(l.level("phone", "07700 900123", "07800 900123"), 1);
  EXPECT_EQ(l.level("vehicle_registration", "AB12 CDE", "A812 CDE"), 1);
  EXPECT_EQ(l.level("vehicle_registration", "AB12 CDE", "XY99 ZZZ"), 0);
  EXPECT_EQ(l.level("email", "ann@x.org", "ann@y.org"), 1);
  EXPECT_EQ(l.level("sex", "Female", "f"), 1);
  EXPECT_EQ(l.level("sex", "Male", "f"), 0);
}

TEST(ComparisonLevels, HaveALabelForEveryLevel) {
  for (auto kind :
       {CompareKind::kName, CompareKind::kDate, CompareKind::kExact, CompareKind::kAddress,
        CompareKind::kPlace, CompareKind::kPostcode, CompareKind::kPhone, CompareKind::kEmail,
        CompareKind::kVehicle, CompareKind::kIdentifier, CompareKind::kAttribute}) {
    EXPECT_EQ(static_cast<int>(level_labels(kind).size()), level_count(kind));
    EXPECT_EQ(level_labels(kind).back(), "exact");
  }
}

TEST(DateLevels, AnApproximateAgeOnADateComparesAsItsBirthYears) {
  Levels l({{FieldKind::kDateOfBirth, "dob"}});
  // Aged about 14 on 1 June 2024: born in 2009 or 2010.
  EXPECT_EQ(l.level("date_of_birth", "about 14 on 2024-06-01", "2010-03-04"), 1);
  EXPECT_EQ(l.level("date_of_birth", "14 on 01/06/2024", "2009-12-30"), 1);
  EXPECT_EQ(l.level("date_of_birth", "about 14 on 2024-06-01", "2004-03-04"), 0);
}

TEST(RecordStore, RemovingTheLastRecordRestoresTheCounts) {
  auto store = RecordStore::create({{FieldKind::kFamilyName, "surname"}}).value();
  std::vector<std::string_view> raw = {"Khan"};
  store.add("a", {}, raw).value();
  store.add("b", {}, raw).value();
  store.remove_last();
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.find("b"), -1);
  EXPECT_EQ(store.value(0, 0).count, 1u);
  EXPECT_EQ(store.table(0).present, 1u);
  EXPECT_TRUE(store.add("b", {}, raw).ok());
}

}  // namespace
}  // namespace sg::resolve
