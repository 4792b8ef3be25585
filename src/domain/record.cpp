#include "domain/record.h"

namespace sg::domain {

std::string_view marking_name(Marking marking) {
  return marking == Marking::kOfficial ? "OFFICIAL" : "OFFICIAL-SENSITIVE";
}

core::Result<Marking> parse_marking(std::string_view text, std::string_view field) {
  if (text == "OFFICIAL") return Marking::kOfficial;
  if (text == "OFFICIAL-SENSITIVE") return Marking::kOfficialSensitive;
  return core::invalid_argument("must be OFFICIAL or OFFICIAL-SENSITIVE", std::string(field));
}

std::string_view operation_name(Operation op) {
  switch (op) {
    case Operation::kCollection:
      return "collection";
    case Operation::kAlteration:
      return "alteration";
    case Operation::kConsultation:
      return "consultation";
    case Operation::kDisclosure:
      return "disclosure";
    case Operation::kCombination:
      return "combination";
    case Operation::kErasure:
      return "erasure";
  }
  return "collection";
}

core::Result<Operation> parse_operation(std::string_view text) {
  for (auto op : {Operation::kCollection, Operation::kAlteration, Operation::kConsultation,
                  Operation::kDisclosure, Operation::kCombination, Operation::kErasure}) {
    if (operation_name(op) == text) return op;
  }
  return core::invalid_argument("unknown ledger operation", "operation");
}

core::Status validate_reason_code(std::string_view code, std::string_view field) {
  if (code.size() < 2 || code.size() > 48) {
    return core::invalid_argument("must be 2 to 48 characters", std::string(field));
  }
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return core::invalid_argument("may contain only a-z, 0-9 and '_'", std::string(field));
    }
  }
  return {};
}

}  // namespace sg::domain
