#include "enrich/market_database.hpp"

#include <fmt/format.h>

#include <charconv>
#include <pqxx/pqxx>

#include "db/connection.hpp"
#include "db/error_class.hpp"

namespace haul::enrich {
namespace {

constexpr int kFetchRows = 20000;

// '{"a","b"}': a text[] literal travelling as a parameter, never as SQL.
std::string array_literal(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

std::uint64_t listing_key_bits(std::string_view listing_key) {
  std::uint64_t bits = 0;
  const std::string_view head = listing_key.substr(0, 16);
  auto [ptr, ec] = std::from_chars(head.data(), head.data() + head.size(), bits, 16);
  (void)ptr;
  return ec == std::errc() ? bits : 0;
}

Status load_database_market(const std::string& conninfo, const std::vector<std::string>& makes,
                            const std::unordered_set<std::uint64_t>& batch_listings,
                            MarketIndexBuilder& builder, DatabaseMarketStats& stats) {
  if (makes.empty()) return Status::ok();
  std::unique_ptr<pqxx::connection> connection;
  if (Status s = db::connect(conninfo, connection); !s.is_ok()) return s;
  try {
    pqxx::read_transaction tx(*connection);
    tx.exec_params(
        "DECLARE haul_market NO SCROLL CURSOR FOR "
        "SELECT listing_key, make, model, year, price::float8 FROM vehicles "
        "WHERE status = 'active' AND price > 0 AND lower(make) = ANY ($1::text[])",
        array_literal(makes));
    ++stats.queries;
    const std::string fetch = fmt::format("FETCH FORWARD {} FROM haul_market", kFetchRows);
    for (;;) {
      pqxx::result rows = tx.exec(fetch);
      for (const auto& row : rows) {
        ++stats.rows;
        if (batch_listings.count(listing_key_bits(row[0].c_str()))) {
          ++stats.same_listing;
          continue;
        }
        builder.add_database_listing(row[1].c_str(), row[2].c_str(), row[3].as<int>(),
                                     row[4].as<double>());
      }
      if (rows.size() < static_cast<std::size_t>(kFetchRows)) break;
    }
  } catch (const std::exception& e) {
    const db::DbError error = db::classify(e);
    return Status::error(
        db::exit_code_for(error),
        fmt::format("reading market prices from the database failed ({}): {}{}",
                    error.sqlstate.empty() ? error.exception : error.sqlstate, error.message,
                    error.sqlstate == "42P01" ? " (run haul-import --migrate-only)" : ""));
  }
  return Status::ok();
}

}  // namespace haul::enrich
