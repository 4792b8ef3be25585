// The SQLite schema as an ordered list of migrations. Migration i (1-based) takes the
// database from user_version i-1 to i. Never edit a released migration: add a new one.
#pragma once

#include <span>
#include <string_view>

namespace sg::storage::sqlite {

// 'SGD1': marks the file as a Safeguard database (PRAGMA application_id).
inline constexpr int kApplicationId = 0x53474431;

std::span<const std::string_view> migrations();

}  // namespace sg::storage::sqlite
