// Fuzzes the TOML configuration reader: any text gives a Status, never a crash or throw.
#include <cstdint>
#include <string_view>

#include "cli/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sg::cli::Config config;
  (void)sg::cli::apply_config_text(text, config);
  (void)sg::cli::parse_listen(text);
  return 0;
}
