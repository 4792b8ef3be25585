// Request ids and exception type names for the server's failure reports.
#include "server/diagnostics.h"

#include <cxxabi.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "core/ascii.h"
#include "core/id.h"

namespace sg::server {

std::string new_request_id() {
  std::uint64_t value = core::OsRandom().next_u64();
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
}

std::string exception_type_name(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& e) {
    const char* mangled = typeid(e).name();
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(
        abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
    return status == 0 && demangled ? demangled.get() : mangled;
  } catch (...) {
    return "unknown";
  }
}

}  // namespace sg::server
