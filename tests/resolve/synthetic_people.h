// A small seeded generator of noisy person records with known truth, for the resolve tests.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace sg::resolve::testing {

struct SyntheticPeople {
  std::string csv;                  // id,given,family,dob,postcode,town
  std::vector<std::string> entity;  // Per row: the true entity of the record.
};

// `people` people with 1 to 3 records each; copies carry typos, swapped names and missing values.
inline SyntheticPeople make_people(int people, unsigned seed) {
  static const char* kGiven[] = {
      "oliver",   "amelia", "mohammed", "aisha", "jack",   "olivia", "harry",  "isla",   "george",
      "ava",      "noah",   "emily",    "leo",   "sophia", "oscar",  "grace",  "arthur", "freya",
      "muhammad", "lily",   "charlie",  "ella",  "jacob",  "mia",    "thomas", "evie"};
  static const char* kFamily[] = {"smith", "jones",  "williams", "taylor",  "brown",   "davies",
                                  "evans", "wilson", "thomas",   "johnson", "roberts", "khan",
                                  "patel", "wright", "walker",   "hussain", "begum",   "kowalski",
                                  "nowak", "green",  "hall",     "wood",    "clarke",  "hughes"};
  static const char* kTown[] = {"sheffield", "rotherham", "leeds", "bradford", "doncaster"};
  std::mt19937 rng(seed);
  auto pick = [&](auto& list) { return std::string(list[rng() % (sizeof list / sizeof list[0])]); };
  auto typo = [&](std::string s) {
    if (s.size() < 3) return s;
    std::size_t i = 1 + rng() % (s.size() - 2);
    switch (rng() % 3) {
      case 0:
        s[i] = static_cast<char>('a' + rng() % 26);
        break;
      case 1:
        s.erase(i, 1);
        break;
      default:
        std::swap(s[i], s[i + 1 < s.size() ? i + 1 : i - 1]);
    }
    return s;
  };
  SyntheticPeople out;
  out.csv = "id,given,family,dob,postcode,town\n";
  int row = 0;
  for (int p = 0; p < people; ++p) {
    std::string given = pick(kGiven), family = pick(kFamily), town = pick(kTown);
    char dob[16], pc[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1960 + static_cast<int>(rng() % 50),
                  1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    std::snprintf(pc, sizeof pc, "S%d %d%c%c", 1 + static_cast<int>(rng() % 30),
                  static_cast<int>(rng() % 10), 'A' + static_cast<char>(rng() % 26),
                  'A' + static_cast<char>(rng() % 26));
    int copies = 1 + static_cast<int>(rng() % 3);
    for (int c = 0; c < copies; ++c) {
      std::string g = given, f = family, d = dob, post = pc, t = town;
      if (c > 0) {
        int noise = static_cast<int>(rng() % 6);
        if (noise == 0) g = typo(g);
        if (noise == 1) f = typo(f);
        if (noise == 2) d = d.substr(0, 8) + (d[9] == '1' ? "12" : "11");
        if (noise == 3) post.clear();
        if (noise == 4) std::swap(g, f);
        if (noise == 5) t = typo(t);
      }
      out.csv +=
          "p" + std::to_string(row++) + "," + g + "," + f + "," + d + "," + post + "," + t + "\n";
      out.entity.push_back("e" + std::to_string(p));
    }
  }
  return out;
}

}  // namespace sg::resolve::testing
