#include "network/export.h"

#include <algorithm>
#include <set>

namespace sg::network {
namespace {

using nlohmann::json;

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters other than tab, LF and CR.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += ' ';
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

// What an export needs to know about one link, over the admitted evidence.
struct LinkFacts {
  std::set<std::string> types;
  std::set<std::string> concerns;
  std::string first, last;
  std::size_t count = 0;
  Confidence best = Confidence::kCoOccurrence;
};

LinkFacts facts(const Link& link, const Scope& scope) {
  LinkFacts f;
  for (const auto& ev : link.evidence) {
    if (!scope.admits(ev)) continue;
    f.types.insert(ev.type);
    f.concerns.insert(ev.concern_id);
    auto d = ev.date.iso();
    if (f.first.empty() || d < f.first) f.first = d;
    if (f.last.empty() || d > f.last) f.last = d;
    if (ev.confidence < f.best) f.best = ev.confidence;
    ++f.count;
  }
  return f;
}

std::string join(const std::set<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string roles_of(const Entity& e, const Scope& scope) {
  std::set<std::string> roles;
  for (const auto& m : e.mentions) {
    if (!m.role.empty() && scope.admits(m)) roles.insert(m.role);
  }
  return join(roles, " ");
}

// Calls `node(entity)` for each admitted entity and `edge(link, facts, from, to)` for each
// admitted link, under the graph's read lock.
template <typename Node, typename EdgeFn>
ExportSummary visit(Analytics& analytics, const LinkGraph& graph, const Scope& scope, Node node,
                    EdgeFn edge) {
  auto snap = analytics.snapshot(scope);
  ExportSummary summary;
  std::set<std::string> records;
  graph.read([&](const GraphData& data) {
    for (const auto& v : snap->vertices()) node(data.entities[v.entity]);
    for (const auto& e : snap->edges()) {
      const auto& link = data.links[e.link];
      auto f = facts(link, scope);
      records.insert(f.concerns.begin(), f.concerns.end());
      edge(link, f, e.weight, data.entities[link.a], data.entities[link.b]);
    }
    return 0;
  });
  summary.entities = snap->vertices().size();
  summary.links = snap->edges().size();
  summary.record_ids.assign(records.begin(), records.end());
  return summary;
}

std::string_view i2_type(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPerson:
      return "Person";
    case EntityKind::kVehicle:
      return "Vehicle";
    case EntityKind::kPhone:
      return "Telephone";
    case EntityKind::kAccount:
      return "Online Account";
    case EntityKind::kLocation:
      return "Location";
  }
  return "Person";
}

bool is_organisation(std::string_view kind) {
  return kind == "takeaway" || kind == "taxi_firm" || kind == "hotel" || kind == "shop" ||
         kind == "school";
}

std::string ftm_id(const std::string& id) { return "sg-" + id; }

}  // namespace

core::Result<ExportFormat> parse_export_format(std::string_view text, std::string_view field) {
  if (text == "graphml") return ExportFormat::kGraphMl;
  if (text == "i2") return ExportFormat::kI2;
  if (text == "ftm") return ExportFormat::kFtm;
  return core::invalid_argument("must be graphml, i2 or ftm", std::string(field));
}

std::string csv_cell(std::string_view text) {
  std::string value(text);
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

ExportSummary write_graphml(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                            std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  struct Key {
    const char* id;
    const char* domain;
    const char* type;
  };
  for (const auto& k : {Key{"kind", "node", "string"}, Key{"label", "node", "string"},
                        Key{"detail", "node", "string"}, Key{"roles", "node", "string"},
                        Key{"child", "node", "boolean"}, Key{"suspect", "node", "boolean"},
                        Key{"types", "edge", "string"}, Key{"weight", "edge", "double"},
                        Key{"first_date", "edge", "string"}, Key{"last_date", "edge", "string"},
                        Key{"evidence", "edge", "int"}, Key{"concerns", "edge", "string"}}) {
    out << "  <key id=\"" << k.id << "\" for=\"" << k.domain << "\" attr.name=\"" << k.id
        << "\" attr.type=\"" << k.type << "\"/>\n";
  }
  out << "  <graph id=\"safeguard\" edgedefault=\"undirected\">\n";
  std::size_t edge_no = 0;
  auto summary = visit(
      analytics, graph, scope,
      [&](const Entity& e) {
        out << "    <node id=\"" << e.id << "\">"
            << "<data key=\"kind\">" << entity_kind_name(e.kind) << "</data>"
            << "<data key=\"label\">" << xml_escape(e.label) << "</data>"
            << "<data key=\"detail\">" << xml_escape(e.detail) << "</data>"
            << "<data key=\"roles\">" << roles_of(e, scope) << "</data>"
            << "<data key=\"child\">" << (is_child(e, scope) ? "true" : "false") << "</data>"
            << "<data key=\"suspect\">" << (is_suspect(e, scope) ? "true" : "false")
            << "</data></node>\n";
      },
      [&](const Link&, const LinkFacts& f, double weight, const Entity& a, const Entity& b) {
        out << "    <edge id=\"e" << edge_no++ << "\" source=\"" << a.id << "\" target=\"" << b.id
            << "\">"
            << "<data key=\"types\">" << join(f.types, " ") << "</data>"
            << "<data key=\"weight\">" << weight << "</data>"
            << "<data key=\"first_date\">" << f.first << "</data>"
            << "<data key=\"last_date\">" << f.last << "</data>"
            << "<data key=\"evidence\">" << f.count << "</data>"
            << "<data key=\"concerns\">" << xml_escape(join(f.concerns, " ")) << "</data></edge>\n";
      });
  out << "  </graph>\n</graphml>\n";
  return summary;
}

ExportSummary write_i2(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                       std::ostream& entities, std::ostream& links) {
  auto row = [](std::ostream& out, std::initializer_list<std::string> cells) {
    bool first = true;
    for (const auto& c : cells) {
      out << (first ? "" : ",") << csv_cell(c);
      first = false;
    }
    out << "\r\n";
  };
  row(entities, {"Entity ID", "Entity Type", "Label", "Detail", "Roles", "Address", "Postcode",
                 "Record IDs"});
  row(links, {"Link ID", "From Entity ID", "To Entity ID", "Link Type", "Strength", "Confidence",
              "First Date", "Last Date", "Evidence Count", "Concern IDs"});
  std::size_t n = 0;
  return visit(
      analytics, graph, scope,
      [&](const Entity& e) {
        auto admitted = admitted_record_ids(e, scope);
        std::set<std::string> records(admitted.begin(), admitted.end());
        row(entities, {e.id, std::string(i2_type(e.kind)), e.label, e.detail, roles_of(e, scope),
                       e.address, e.postcode, join(records, " ")});
      },
      [&](const Link&, const LinkFacts& f, double weight, const Entity& a, const Entity& b) {
        char strength[32];
        std::snprintf(strength, sizeof strength, "%.3f", weight);
        row(links, {"L" + std::to_string(++n), a.id, b.id, join(f.types, " "), strength,
                    std::string(confidence_name(f.best)), f.first, f.last, std::to_string(f.count),
                    join(f.concerns, " ")});
      });
}

ExportSummary write_ftm(Analytics& analytics, const LinkGraph& graph, const Scope& scope,
                        std::ostream& out) {
  auto emit = [&](const std::string& id, const char* schema, json properties) {
    out << json{{"id", id}, {"schema", schema}, {"properties", std::move(properties)}}.dump()
        << "\n";
  };
  return visit(
      analytics, graph, scope,
      [&](const Entity& e) {
        auto id = ftm_id(e.id);
        switch (e.kind) {
          case EntityKind::kPerson: {
            json p = {{"name", {e.label}}};
            auto roles = roles_of(e, scope);
            if (!roles.empty()) p["description"] = {"Named in concerns as: " + roles};
            emit(id, "Person", p);
            break;
          }
          case EntityKind::kVehicle: {
            json p = {{"name", {e.label}}, {"registrationNumber", {e.label}}};
            if (!e.detail.empty()) p["description"] = {e.detail};
            emit(id, "Vehicle", p);
            break;
          }
          case EntityKind::kPhone:
            emit(id, "UserAccount",
                 {{"name", {e.label}},
                  {"username", {e.label}},
                  {"number", {e.label}},
                  {"service", {"phone"}}});
            break;
          case EntityKind::kAccount:
            emit(id, "UserAccount",
                 {{"name", {e.label}}, {"username", {e.label}}, {"service", {e.detail}}});
            break;
          case EntityKind::kLocation: {
            json p = {{"name", {e.label}}};
            if (!e.address.empty() || !e.postcode.empty()) {
              std::string full = e.address;
              if (!e.postcode.empty()) full += (full.empty() ? "" : ", ") + e.postcode;
              json a = {{"full", {full}}};
              if (!e.postcode.empty()) a["postalCode"] = {e.postcode};
              emit(id + "-address", "Address", a);
              p["address"] = {full};
              p["addressEntity"] = {id + "-address"};
            }
            if (is_organisation(e.detail)) {
              p["description"] = {e.detail};
              emit(id, "Organization", p);
            } else {
              p["propertyType"] = {e.detail.empty() ? "other" : e.detail};
              emit(id, "RealEstate", p);
            }
            break;
          }
        }
      },
      [&](const Link& link, const LinkFacts& f, double weight, const Entity& a, const Entity& b) {
        std::vector<std::string> types(f.types.begin(), f.types.end());
        std::vector<std::string> concerns(f.concerns.begin(), f.concerns.end());
        char summary[64];
        std::snprintf(summary, sizeof summary, "strength %.3f, best evidence %s", weight,
                      std::string(confidence_name(f.best)).c_str());
        json p = {{"startDate", {f.first}},
                  {"endDate", {f.last}},
                  {"summary", {summary}},
                  {"recordId", concerns}};
        auto id = ftm_id("link-" + a.id + "-" + b.id);
        (void)link;
        if (a.kind == EntityKind::kPerson && b.kind == EntityKind::kPerson) {
          p["person"] = {ftm_id(a.id)};
          p["associate"] = {ftm_id(b.id)};
          p["relationship"] = types;
          emit(id, "Associate", p);
        } else {
          p["subject"] = {ftm_id(a.id)};
          p["object"] = {ftm_id(b.id)};
          p["role"] = types;
          emit(id, "UnknownLink", p);
        }
      });
}

}  // namespace sg::network
