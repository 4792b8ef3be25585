#include "synth/data.h"

#include <string>

namespace sg::synth {

core::Result<std::string_view> embedded_file(std::string_view name) {
  for (const auto& file : embedded_files()) {
    if (file.name == name) return file.text;
  }
  return core::not_found("no embedded synth data file named " + std::string(name));
}

}  // namespace sg::synth
