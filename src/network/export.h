// Exports of the link graph to analysts' tools, over exactly what a scope admits:
// GraphML (Gephi, yEd), i2 Analyst's Notebook-style entity and link CSV, and
// FollowTheMoney entity JSON lines (Aleph).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/result.h"
#include "network/analytics.h"

namespace sg::network {

enum class ExportFormat { kGraphMl, kI2, kFtm };
// "graphml", "i2" or "ftm"; InvalidArgument naming `field` otherwise.
core::Result<ExportFormat> parse_export_format(std::string_view text, std::string_view field);

// What an export wrote: counts, and the concern records its evidence came from.
struct ExportSummary {
  std::size_t entities = 0;
  std::size_t links = 0;
  std::vector<std::string> record_ids;
};

// GraphML 1.0 (http://graphml.graphdrawing.org/): one undirected graph; node data kind,
// label, detail, roles, child, suspect; edge data types, weight, first_date, last_date,
// evidence (count) and concerns (space-separated concern ids).
ExportSummary write_graphml(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                            std::ostream& out);

// Two RFC 4180 CSV files (CRLF, quoted where needed) for i2 Analyst's Notebook's importer:
// entities (Entity ID, Entity Type, Label, ...) and links (Link ID, From, To, ...). A cell
// that starts with = + - @ (or a tab or carriage return) is prefixed with ' so that no
// spreadsheet runs it as a formula.
ExportSummary write_i2(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                       std::ostream& entities, std::ostream& links);

// FollowTheMoney entities, one JSON object per line: Person, Vehicle, UserAccount (online
// accounts, and phones with service "phone"), Organization (takeaways, taxi firms, hotels,
// shops, schools), RealEstate (other places) with an Address; links as Associate (person to
// person) or UnknownLink (everything else), with start and end dates.
ExportSummary write_ftm(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                        std::ostream& out);

// One RFC 4180 field: quoted when it holds a comma, quote or line break; a leading
// = + - @ tab or CR neutralised with a leading apostrophe.
std::string csv_cell(std::string_view text);

}  // namespace sg::network
