#include "oversight/suppression.h"

#include <utility>

namespace sg::oversight {

CountTable::CountTable(std::vector<std::vector<std::int64_t>> cells) {
  std::size_t width = cells.at(0).size();
  std::vector<std::int64_t> column_totals(width + 1, 0);
  for (auto& row : cells) {
    std::int64_t total = 0;
    for (std::size_t c = 0; c < width; ++c) {
      total += row.at(c);
      column_totals[c] += row[c];
    }
    row.push_back(total);
    column_totals[width] += total;
    counts_.push_back(std::move(row));
  }
  counts_.push_back(std::move(column_totals));
  shown_.assign(counts_.size(), std::vector<Shown>(width + 1, Shown::kValue));
}

std::string CountTable::display(std::size_t r, std::size_t c) const {
  switch (shown_[r][c]) {
    case Shown::kPrimary:
      return std::string(kSmallCount);
    case Shown::kSecondary:
      return std::string(kSecondary);
    case Shown::kValue:
      break;
  }
  return std::to_string(counts_[r][c]);
}

void CountTable::suppress() {
  using Cell = std::pair<std::size_t, std::size_t>;
  for (std::size_t r = 0; r < rows(); ++r) {
    for (std::size_t c = 0; c < columns(); ++c) {
      if (counts_[r][c] > 0 && counts_[r][c] < kThreshold) shown_[r][c] = Shown::kPrimary;
    }
  }
  // Every additive line: its parts, then its total. Rows (including the totals row) sum
  // across; columns (including the totals column) sum down.
  std::vector<std::pair<std::vector<Cell>, Cell>> lines;
  for (std::size_t r = 0; r < rows(); ++r) {
    std::vector<Cell> parts;
    for (std::size_t c = 0; c + 1 < columns(); ++c) parts.emplace_back(r, c);
    lines.emplace_back(std::move(parts), Cell{r, columns() - 1});
  }
  for (std::size_t c = 0; c < columns(); ++c) {
    std::vector<Cell> parts;
    for (std::size_t r = 0; r + 1 < rows(); ++r) parts.emplace_back(r, c);
    lines.emplace_back(std::move(parts), Cell{rows() - 1, c});
  }
  auto hidden = [&](Cell cell) { return shown_[cell.first][cell.second] != Shown::kValue; };
  // Each pass hides at least one more cell, so this ends within rows x columns passes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [parts, total] : lines) {
      int suppressed = hidden(total) ? 1 : 0;
      for (const auto& p : parts) suppressed += hidden(p) ? 1 : 0;
      if (suppressed != 1) continue;
      const Cell* pick = nullptr;
      for (const auto& p : parts) {
        if (hidden(p) || counts_[p.first][p.second] == 0) continue;
        if (!pick || counts_[p.first][p.second] < counts_[pick->first][pick->second]) pick = &p;
      }
      Cell chosen = pick ? *pick : total;
      // A line whose only hidden entry is a part and whose other parts are all zero: its total
      // equals that part, so the total is hidden instead.
      if (hidden(chosen)) continue;
      shown_[chosen.first][chosen.second] = Shown::kSecondary;
      changed = true;
    }
  }
}

}  // namespace sg::oversight
