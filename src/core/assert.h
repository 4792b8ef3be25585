// SG_ASSERT: checks a programmer's invariant. Never use it for input validation; input
// errors are Result values. A failed assertion prints the location and aborts.
#pragma once

namespace sg::core {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);
}

#define SG_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::sg::core::assertion_failed(#cond, __FILE__, __LINE__))
