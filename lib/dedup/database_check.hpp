#pragma once
// haul-dedup --against-db: which survivors the database already holds
// unchanged (same listing_key, same content_hash), so re-importing them
// would write nothing. One query per chunk of listings, never one per record.
//
// Note for operators: a record dropped here does not reach haul-import, so
// its row's last_seen_at is not advanced by this run.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "util/status.hpp"

namespace haul::dedup {

struct ListingIdentity {
  std::string listing_key, content_hash;  // 64 lower-case hex digits each
};

struct DatabaseCheck {
  std::vector<bool> unchanged;  // per listing asked about
  std::uint64_t queries = 0;
};

// `table` is a record type (vehicles, events, articles): a fixed name, never
// taken from input. `conninfo` as db::resolve_conninfo() gives it.
Status find_unchanged_in_database(const std::string& conninfo, const std::string& table,
                                  const std::vector<ListingIdentity>& listings,
                                  std::size_t chunk_size, DatabaseCheck& out);

}  // namespace haul::dedup
