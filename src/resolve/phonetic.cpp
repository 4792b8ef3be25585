#include "resolve/phonetic.h"

#include <initializer_list>

namespace sg::resolve {
namespace {

// One encoding in progress. The rules below follow the published algorithm; names in the
// comments are the examples Philips gave for each rule.
class Encoder {
 public:
  Encoder(std::string value, std::size_t max_length)
      : v_(std::move(value)), n_(static_cast<int>(v_.size())), max_(max_length) {
    slavo_germanic_ = v_.find('W') != std::string::npos || v_.find('K') != std::string::npos ||
                      v_.find("CZ") != std::string::npos || v_.find("WITZ") != std::string::npos;
  }

  PhoneticKeys run();

 private:
  char at(int i) const { return (i >= 0 && i < n_) ? v_[i] : '\0'; }
  bool is_vowel(int i) const {
    char c = at(i);
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  // True when the `len` characters at `start` equal one of `options`.
  bool has(int start, int len, std::initializer_list<std::string_view> options) const {
    if (start < 0 || start + len > n_) return false;
    std::string_view piece(v_.data() + start, static_cast<std::size_t>(len));
    for (auto o : options) {
      if (piece == o) return true;
    }
    return false;
  }
  bool germanic() const { return has(0, 4, {"VAN ", "VON "}) || has(0, 3, {"SCH"}); }
  void add(std::string_view both) { add(both, both); }
  void add(std::string_view primary, std::string_view alternate) {
    append(primary_, primary);
    append(alternate_, alternate);
  }
  void add_primary(std::string_view s) { append(primary_, s); }
  void add_alternate(std::string_view s) { append(alternate_, s); }
  void append(std::string& out, std::string_view s) {
    for (char c : s) {
      if (out.size() < max_) out += c;
    }
  }
  bool complete() const { return primary_.size() >= max_ && alternate_.size() >= max_; }

  int handle_c(int i);
  int handle_ch(int i);
  int handle_cc(int i);
  int handle_d(int i);
  int handle_g(int i);
  int handle_gh(int i);
  int handle_h(int i);
  int handle_j(int i);
  int handle_l(int i);
  int handle_p(int i);
  int handle_r(int i);
  int handle_s(int i);
  int handle_sc(int i);
  int handle_t(int i);
  int handle_w(int i);
  int handle_x(int i);
  int handle_z(int i);

  std::string v_;
  int n_;
  std::size_t max_;
  bool slavo_germanic_ = false;
  std::string primary_, alternate_;
};

PhoneticKeys Encoder::run() {
  int i = 0;
  // Skip a silent first letter: GN, KN, PN, WR, PS.
  if (has(0, 2, {"GN", "KN", "PN", "WR", "PS"})) i = 1;
  // An initial X is pronounced Z, which maps to S: "Xavier".
  if (at(0) == 'X') {
    add("S");
    i = 1;
  }
  while (!complete() && i < n_) {
    switch (at(i)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i == 0) add("A");
        ++i;
        break;
      case 'B':
        add("P");
        i += at(i + 1) == 'B' ? 2 : 1;
        break;
      case 'C':
        i = handle_c(i);
        break;
      case 'D':
        i = handle_d(i);
        break;
      case 'F':
        add("F");
        i += at(i + 1) == 'F' ? 2 : 1;
        break;
      case 'G':
        i = handle_g(i);
        break;
      case 'H':
        i = handle_h(i);
        break;
      case 'J':
        i = handle_j(i);
        break;
      case 'K':
        add("K");
        i += at(i + 1) == 'K' ? 2 : 1;
        break;
      case 'L':
        i = handle_l(i);
        break;
      case 'M':
        add("M");
        // "dumb", "thumb": a silent B after M.
        if (at(i + 1) == 'M' ||
            (has(i - 1, 3, {"UMB"}) && (i + 1 == n_ - 1 || has(i + 2, 2, {"ER"})))) {
          i += 2;
        } else {
          ++i;
        }
        break;
      case 'N':
        add("N");
        i += at(i + 1) == 'N' ? 2 : 1;
        break;
      case 'P':
        i = handle_p(i);
        break;
      case 'Q':
        add("K");
        i += at(i + 1) == 'Q' ? 2 : 1;
        break;
      case 'R':
        i = handle_r(i);
        break;
      case 'S':
        i = handle_s(i);
        break;
      case 'T':
        i = handle_t(i);
        break;
      case 'V':
        add("F");
        i += at(i + 1) == 'V' ? 2 : 1;
        break;
      case 'W':
        i = handle_w(i);
        break;
      case 'X':
        i = handle_x(i);
        break;
      case 'Z':
        i = handle_z(i);
        break;
      default:
        ++i;
    }
  }
  return {primary_, alternate_};
}

int Encoder::handle_c(int i) {
  // Various Germanic: "bacher", "macher"; the 'ACH' in "Bach" but not "Macha".
  bool ach = false;
  if (has(i, 4, {"CHIA"})) {
    ach = true;
  } else if (i > 1 && !is_vowel(i - 2) && has(i - 1, 3, {"ACH"})) {
    char c = at(i + 2);
    ach = (c != 'I' && c != 'E') || has(i - 2, 6, {"BACHER", "MACHER"});
  }
  if (ach) {
    add("K");
    return i + 2;
  }
  if (i == 0 && has(i, 6, {"CAESAR"})) {
    add("S");
    return i + 2;
  }
  if (has(i, 2, {"CH"})) return handle_ch(i);
  if (has(i, 2, {"CZ"}) && !has(i - 2, 4, {"WICZ"})) {
    add("S", "X");  // "Czerny".
    return i + 2;
  }
  if (has(i + 1, 3, {"CIA"})) {
    add("X");  // "focaccia".
    return i + 3;
  }
  if (has(i, 2, {"CC"}) && !(i == 1 && at(0) == 'M')) return handle_cc(i);  // Not "McClellan".
  if (has(i, 2, {"CK", "CG", "CQ"})) {
    add("K");
    return i + 2;
  }
  if (has(i, 2, {"CI", "CE", "CY"})) {
    if (has(i, 3, {"CIO", "CIE", "CIA"})) {
      add("S", "X");  // Italian.
    } else {
      add("S");
    }
    return i + 2;
  }
  add("K");
  if (has(i + 1, 2, {" C", " Q", " G"})) return i + 3;  // "Mac Caffrey", "Mac Gregor".
  if (has(i + 1, 1, {"C", "K", "Q"}) && !has(i + 1, 2, {"CE", "CI"})) return i + 2;
  return i + 1;
}

int Encoder::handle_ch(int i) {
  if (i > 0 && has(i, 4, {"CHAE"})) {
    add("K", "X");  // "Michael".
    return i + 2;
  }
  // Greek roots at the start: "chemistry", "chorus", but not "chore".
  if (i == 0 &&
      (has(i + 1, 5, {"HARAC", "HARIS"}) || has(i + 1, 3, {"HOR", "HYM", "HIA", "HEM"})) &&
      !has(0, 5, {"CHORE"})) {
    add("K");
    return i + 2;
  }
  // Germanic, Greek, or otherwise a 'kh' sound: "orchestra", "architect", "Schmidt".
  if (germanic() || has(i - 2, 6, {"ORCHES", "ARCHIT", "ORCHID"}) || has(i + 2, 1, {"T", "S"}) ||
      ((has(i - 1, 1, {"A", "O", "U", "E"}) || i == 0) &&
       (has(i + 2, 1, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}) || i + 1 == n_ - 1))) {
    add("K");
    return i + 2;
  }
  if (i > 0) {
    if (has(0, 2, {"MC"})) {
      add("K");  // "McHugh".
    } else {
      add("X", "K");
    }
  } else {
    add("X");
  }
  return i + 2;
}

int Encoder::handle_cc(int i) {
  // "bellocchio" but not "bacchus".
  if (has(i + 2, 1, {"I", "E", "H"}) && !has(i + 2, 2, {"HU"})) {
    if ((i == 1 && at(i - 1) == 'A') || has(i - 1, 5, {"UCCEE", "UCCES"})) {
      add("KS");  // "accident", "accede", "succeed".
    } else {
      add("X");  // "bacci", "bertucci".
    }
    return i + 3;
  }
  add("K");  // Pierce's rule.
  return i + 2;
}

int Encoder::handle_d(int i) {
  if (has(i, 2, {"DG"})) {
    if (has(i + 2, 1, {"I", "E", "Y"})) {
      add("J");  // "edge".
      return i + 3;
    }
    add("TK");  // "Edgar".
    return i + 2;
  }
  add("T");
  return i + (has(i, 2, {"DT", "DD"}) ? 2 : 1);
}

int Encoder::handle_g(int i) {
  if (at(i + 1) == 'H') return handle_gh(i);
  if (at(i + 1) == 'N') {
    if (i == 1 && is_vowel(0) && !slavo_germanic_) {
      add("KN", "N");
    } else if (!has(i + 2, 2, {"EY"}) && at(i + 1) != 'Y' && !slavo_germanic_) {
      add("N", "KN");  // Not "cagney".
    } else {
      add("KN");
    }
    return i + 2;
  }
  if (has(i + 1, 2, {"LI"}) && !slavo_germanic_) {
    add("KL", "L");  // "tagliaro".
    return i + 2;
  }
  // -ges-, -gep-, -gel-, -gie- at the start.
  if (i == 0 &&
      (at(i + 1) == 'Y' ||
       has(i + 1, 2, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
    add("K", "J");
    return i + 2;
  }
  // -ger-, -gy-.
  if ((has(i + 1, 2, {"ER"}) || at(i + 1) == 'Y') && !has(0, 6, {"DANGER", "RANGER", "MANGER"}) &&
      !has(i - 1, 1, {"E", "I"}) && !has(i - 1, 3, {"RGY", "OGY"})) {
    add("K", "J");
    return i + 2;
  }
  // Italian "biaggi".
  if (has(i + 1, 1, {"E", "I", "Y"}) || has(i - 1, 4, {"AGGI", "OGGI"})) {
    if (germanic() || has(i + 1, 2, {"ET"})) {
      add("K");
    } else if (has(i + 1, 3, {"IER"})) {
      add("J");
    } else {
      add("J", "K");
    }
    return i + 2;
  }
  add("K");
  return i + (at(i + 1) == 'G' ? 2 : 1);
}

int Encoder::handle_gh(int i) {
  if (i > 0 && !is_vowel(i - 1)) {
    add("K");
    return i + 2;
  }
  if (i == 0) {
    add(at(i + 2) == 'I' ? "J" : "K");  // "ghislane", "ghiradelli".
    return i + 2;
  }
  // Parker's rule, with refinements: "Hugh", "bough", "broughton" are silent.
  if ((i > 1 && has(i - 2, 1, {"B", "H", "D"})) || (i > 2 && has(i - 3, 1, {"B", "H", "D"})) ||
      (i > 3 && has(i - 4, 1, {"B", "H"}))) {
    return i + 2;
  }
  if (i > 2 && at(i - 1) == 'U' && has(i - 3, 1, {"C", "G", "L", "R", "T"})) {
    add("F");  // "laugh", "McLaughlin", "cough", "rough", "tough".
  } else if (i > 0 && at(i - 1) != 'I') {
    add("K");
  }
  return i + 2;
}

int Encoder::handle_h(int i) {
  // Kept only when first or between vowels, and before a vowel.
  if ((i == 0 || is_vowel(i - 1)) && is_vowel(i + 1)) {
    add("H");
    return i + 2;
  }
  return i + 1;
}

int Encoder::handle_j(int i) {
  // Obvious Spanish: "Jose", "San Jacinto".
  if (has(i, 4, {"JOSE"}) || has(0, 4, {"SAN "})) {
    if ((i == 0 && at(i + 4) == ' ') || n_ == 4 || has(0, 4, {"SAN "})) {
      add("H");
    } else {
      add("J", "H");
    }
    return i + 1;
  }
  if (i == 0 && !has(i, 4, {"JOSE"})) {
    add("J", "A");  // "Yankelovich", "Jankelowicz".
  } else if (is_vowel(i - 1) && !slavo_germanic_ && (at(i + 1) == 'A' || at(i + 1) == 'O')) {
    add("J", "H");  // Spanish pronunciation of "bajador".
  } else if (i == n_ - 1) {
    add("J", "");
  } else if (!has(i + 1, 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) &&
             !has(i - 1, 1, {"S", "K", "L"})) {
    add("J");
  }
  return i + (at(i + 1) == 'J' ? 2 : 1);
}

int Encoder::handle_l(int i) {
  if (at(i + 1) == 'L') {
    // Spanish "cabrillo", "gallegos": the alternate drops the L.
    bool spanish =
        (i == n_ - 3 && has(i - 1, 4, {"ILLO", "ILLA", "ALLE"})) ||
        ((has(n_ - 2, 2, {"AS", "OS"}) || has(n_ - 1, 1, {"A", "O"})) && has(i - 1, 4, {"ALLE"}));
    if (spanish) {
      add_primary("L");
    } else {
      add("L");
    }
    return i + 2;
  }
  add("L");
  return i + 1;
}

int Encoder::handle_p(int i) {
  if (at(i + 1) == 'H') {
    add("F");
    return i + 2;
  }
  add("P");
  return i + (has(i + 1, 1, {"P", "B"}) ? 2 : 1);  // "campbell", "raspberry".
}

int Encoder::handle_r(int i) {
  // French "Rogier": a final R after IE is silent in the primary.
  if (i == n_ - 1 && !slavo_germanic_ && has(i - 2, 2, {"IE"}) && !has(i - 4, 2, {"ME", "MA"})) {
    add_alternate("R");
  } else {
    add("R");
  }
  return i + (at(i + 1) == 'R' ? 2 : 1);
}

int Encoder::handle_s(int i) {
  if (has(i - 1, 3, {"ISL", "YSL"})) return i + 1;  // "island", "isle", "carlisle".
  if (i == 0 && has(i, 5, {"SUGAR"})) {
    add("X", "S");
    return i + 1;
  }
  if (has(i, 2, {"SH"})) {
    add(has(i + 1, 4, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");  // Germanic.
    return i + 2;
  }
  if (has(i, 3, {"SIO", "SIA"}) || has(i, 4, {"SIAN"})) {  // Italian and Armenian.
    if (slavo_germanic_) {
      add("S");
    } else {
      add("S", "X");
    }
    return i + 3;
  }
  // German and anglicisations: "smith" matches "schmidt", "snider" matches "schneider".
  if ((i == 0 && has(i + 1, 1, {"M", "N", "L", "W"})) || has(i + 1, 1, {"Z"})) {
    add("S", "X");
    return i + (has(i + 1, 1, {"Z"}) ? 2 : 1);
  }
  if (has(i, 2, {"SC"})) return handle_sc(i);
  if (i == n_ - 1 && has(i - 2, 2, {"AI", "OI"})) {
    add_alternate("S");  // French "resnais", "artois".
  } else {
    add("S");
  }
  return i + (has(i + 1, 1, {"S", "Z"}) ? 2 : 1);
}

int Encoder::handle_sc(int i) {
  if (at(i + 2) == 'H') {
    // Schlesinger's rule.
    if (has(i + 3, 2, {"OO", "ER", "EN", "UY", "ED", "EM"})) {
      if (has(i + 3, 2, {"ER", "EN"})) {
        add("X", "SK");  // "schermerhorn", "schenker".
      } else {
        add("SK");  // Dutch "school", "schooner".
      }
    } else if (i == 0 && !is_vowel(3) && at(3) != 'W') {
      add("X", "S");
    } else {
      add("X");
    }
  } else if (has(i + 2, 1, {"I", "E", "Y"})) {
    add("S");
  } else {
    add("SK");
  }
  return i + 3;
}

int Encoder::handle_t(int i) {
  if (has(i, 4, {"TION"}) || has(i, 3, {"TIA", "TCH"})) {
    add("X");
    return i + 3;
  }
  if (has(i, 2, {"TH"}) || has(i, 3, {"TTH"})) {
    // "thomas", "thames", or Germanic.
    if (has(i + 2, 2, {"OM", "AM"}) || germanic()) {
      add("T");
    } else {
      add("0", "T");
    }
    return i + 2;
  }
  add("T");
  return i + (has(i + 1, 1, {"T", "D"}) ? 2 : 1);
}

int Encoder::handle_w(int i) {
  if (has(i, 2, {"WR"})) {
    add("R");
    return i + 2;
  }
  if (i == 0 && (is_vowel(i + 1) || has(i, 2, {"WH"}))) {
    if (is_vowel(i + 1)) {
      add("A", "F");  // "Wasserman" matches "Vasserman".
    } else {
      add("A");  // "Uomo" matches "Womo".
    }
    return i + 1;
  }
  if ((i == n_ - 1 && is_vowel(i - 1)) || has(i - 1, 5, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
      has(0, 3, {"SCH"})) {
    add_alternate("F");  // "Arnow" matches "Arnoff".
    return i + 1;
  }
  if (has(i, 4, {"WICZ", "WITZ"})) {
    add("TS", "FX");  // Polish "filipowicz".
    return i + 4;
  }
  return i + 1;
}

int Encoder::handle_x(int i) {
  if (i == 0) {
    add("S");
    return i + 1;
  }
  // French "breaux": a silent final X.
  if (!(i == n_ - 1 && (has(i - 3, 3, {"IAU", "EAU"}) || has(i - 2, 2, {"AU", "OU"})))) {
    add("KS");
  }
  return i + (has(i + 1, 1, {"C", "X"}) ? 2 : 1);
}

int Encoder::handle_z(int i) {
  if (at(i + 1) == 'H') {
    add("J");  // Chinese pinyin "Zhao".
    return i + 2;
  }
  if (has(i + 1, 2, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && i > 0 && at(i - 1) != 'T')) {
    add("S", "TS");
  } else {
    add("S");
  }
  return i + (at(i + 1) == 'Z' ? 2 : 1);
}

}  // namespace

PhoneticKeys double_metaphone(std::string_view name, std::size_t max_length) {
  std::string upper;
  upper.reserve(name.size());
  for (char c : name) {
    if (c >= 'a' && c <= 'z') {
      upper += static_cast<char>(c - 32);
    } else if ((c >= 'A' && c <= 'Z') || c == ' ') {
      upper += c;
    }
  }
  while (!upper.empty() && upper.back() == ' ') upper.pop_back();
  std::size_t first = upper.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  upper.erase(0, first);
  return Encoder(std::move(upper), max_length).run();
}

}  // namespace sg::resolve
