#include "core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace sg::core {

void assertion_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "assertion failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace sg::core
