#include "resolve/similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace sg::resolve {

double jaro(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() > b.size()) std::swap(a, b);
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const int window = std::max(0, lb / 2 - 1);
  // Flags on the stack for the common case; the heap only for long strings.
  std::array<char, 128> fa_small{}, fb_small{};
  std::vector<char> fa_big, fb_big;
  char* fa = fa_small.data();
  char* fb = fb_small.data();
  if (lb > 128) {
    fa_big.assign(la, 0);
    fb_big.assign(lb, 0);
    fa = fa_big.data();
    fb = fb_big.data();
  }
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    int lo = std::max(0, i - window);
    int hi = std::min(lb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!fb[j] && a[i] == b[j]) {
        fa[i] = fb[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  int k = 0;
  for (int i = 0; i < la; ++i) {
    if (!fa[i]) continue;
    while (!fb[k]) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  double m = matches;
  return (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
}

double jaro_winkler(std::string_view a, std::string_view b) {
  double j = jaro(a, b);
  int prefix = 0;
  std::size_t limit = std::min<std::size_t>({4, a.size(), b.size()});
  while (static_cast<std::size_t>(prefix) < limit && a[prefix] == b[prefix]) ++prefix;
  return j + prefix * 0.1 * (1.0 - j);
}

bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // Equal, or b has one extra character at the end.
  if (a.size() == b.size()) {
    // One substitution, or one transposition of neighbours.
    if (a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // One insertion into a.
}

double jaro_winkler_upper_bound(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0.0;
  std::array<std::uint16_t, 256> count{};
  for (unsigned char c : a) ++count[c];
  std::size_t common = 0;
  for (unsigned char c : b) {
    if (count[c] > 0) {
      --count[c];
      ++common;
    }
  }
  // Matches cannot exceed the shared letters, and transpositions only lower the score.
  double m = static_cast<double>(common);
  double j = (m / a.size() + m / b.size() + (m > 0 ? 1.0 : 0.0)) / 3.0;
  int prefix = 0;
  std::size_t limit = std::min<std::size_t>({4, a.size(), b.size()});
  while (static_cast<std::size_t>(prefix) < limit && a[prefix] == b[prefix]) ++prefix;
  return j + prefix * 0.1 * (1.0 - j);
}

int osa_distance(std::string_view a, std::string_view b, int limit) {
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > limit) return limit + 1;
  if (la == 0) return lb;
  if (lb == 0) return la;
  // Three rolling rows: the transposition looks two rows back.
  std::array<int, 65> small[3];
  std::vector<int> big[3];
  int* rows[3];
  for (int r = 0; r < 3; ++r) {
    if (lb + 1 <= 65) {
      rows[r] = small[r].data();
    } else {
      big[r].assign(lb + 1, 0);
      rows[r] = big[r].data();
    }
  }
  int* prev2 = rows[0];
  int* prev = rows[1];
  int* cur = rows[2];
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    // Every later cell is at least this row's minimum... except through a transposition, which
    // reads two rows back; both rows must exceed the limit to stop.
    if (row_min > limit) {
      int prev_min = *std::min_element(prev, prev + lb + 1);
      if (prev_min > limit) return limit + 1;
    }
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return std::min(prev[lb], limit + 1);
}

}  // namespace sg::resolve
