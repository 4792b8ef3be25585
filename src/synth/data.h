// The synthetic world's word lists (data/synth/*.csv, *.txt), compiled into the binary.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"

namespace sg::synth {

struct EmbeddedFile {
  std::string_view name;  // File name within data/synth, e.g. "given_names.csv".
  std::string_view text;  // The whole file, UTF-8. Static storage.
};

// Every embedded file, sorted by name. Defined in the generated synth_embedded_data.cpp.
std::span<const EmbeddedFile> embedded_files();

// The text of one embedded file, or NotFound.
core::Result<std::string_view> embedded_file(std::string_view name);

}  // namespace sg::synth
