#pragma once
// The database's side of the market: prices of the active vehicles whose
// make is among the batch's, read with one query (a server-side cursor
// fetched in blocks, so memory stays bounded however large the table).
// Listings that are also in this batch (same listing_key) are skipped: the
// batch already has their current price.

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "enrich/market_index.hpp"
#include "util/status.hpp"

namespace haul::enrich {

struct DatabaseMarketStats {
  std::uint64_t rows = 0;          // priced active rows of the batch's makes
  std::uint64_t same_listing = 0;  // skipped: the listing is in this batch
  std::uint64_t queries = 0;       // statements that read rows (1 query, n fetches)
};

// 64 bits of a listing_key (hex SHA-256), for the "in this batch" set.
std::uint64_t listing_key_bits(std::string_view listing_key);

// `conninfo` as db::resolve_conninfo() gives it. Errors are classified as
// for the importer: unreachable 69, unmigrated or forbidden 78.
Status load_database_market(const std::string& conninfo, const std::vector<std::string>& makes,
                            const std::unordered_set<std::uint64_t>& batch_listings,
                            MarketIndexBuilder& builder, DatabaseMarketStats& stats);

}  // namespace haul::enrich
