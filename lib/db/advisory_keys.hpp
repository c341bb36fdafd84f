#pragma once
// The advisory-lock keys haul takes, in one place so two features can never
// pick the same one. Two-int form: pg_try_advisory_lock(namespace, key).

#include <cstdint>

namespace haul::db {

inline constexpr std::int32_t kAdvisoryNamespace = 0x6861756c;  // "haul"
inline constexpr std::int32_t kImporterLockKey = 1;             // one haul-import per database
inline constexpr std::int32_t kMigrationLockKey = 2;            // one migrator per database

}  // namespace haul::db
