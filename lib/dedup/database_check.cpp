#include "dedup/database_check.hpp"

#include <fmt/format.h>

#include <pqxx/pqxx>
#include <unordered_map>

#include "db/connection.hpp"
#include "db/error_class.hpp"
#include "io/data_layout.hpp"

namespace haul::dedup {
namespace {

// '{a,b,c}': a text[] literal. The values are hex digests (checked), so no
// quoting is needed; it travels as a parameter, never as SQL text.
std::string array_literal(const std::vector<ListingIdentity>& listings, std::size_t begin,
                          std::size_t end, bool content) {
  std::string out = "{";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) out += ',';
    out += content ? listings[i].content_hash : listings[i].listing_key;
  }
  out += '}';
  return out;
}

bool is_hex_digest(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

Status find_unchanged_in_database(const std::string& conninfo, const std::string& table,
                                  const std::vector<ListingIdentity>& listings,
                                  std::size_t chunk_size, DatabaseCheck& out) {
  out.unchanged.assign(listings.size(), false);
  if (!io::is_record_type(table)) {
    return Status::error(ExitCode::kSoftware, "not a record type: " + table);
  }
  for (const auto& listing : listings) {
    if (!is_hex_digest(listing.listing_key) || !is_hex_digest(listing.content_hash)) {
      return Status::error(ExitCode::kSoftware, "a listing identity is not a SHA-256 hex digest");
    }
  }
  if (listings.empty()) return Status::ok();
  std::unique_ptr<pqxx::connection> connection;
  if (Status s = db::connect(conninfo, connection); !s.is_ok()) return s;
  const std::string sql = fmt::format(
      "SELECT t.listing_key FROM {} t "
      "JOIN unnest($1::text[], $2::text[]) AS u(listing_key, content_hash) "
      "ON t.listing_key = u.listing_key AND t.content_hash = u.content_hash",
      table);
  std::unordered_map<std::string, std::size_t> index_of;
  try {
    for (std::size_t begin = 0; begin < listings.size(); begin += chunk_size) {
      const std::size_t end = std::min(listings.size(), begin + chunk_size);
      index_of.clear();
      for (std::size_t i = begin; i < end; ++i) index_of.emplace(listings[i].listing_key, i);
      pqxx::read_transaction tx(*connection);
      pqxx::result rows = tx.exec_params(sql, array_literal(listings, begin, end, false),
                                         array_literal(listings, begin, end, true));
      ++out.queries;
      for (const auto& row : rows) {
        auto found = index_of.find(row[0].as<std::string>());
        if (found != index_of.end()) out.unchanged[found->second] = true;
      }
    }
  } catch (const std::exception& e) {
    // A missing table (42P01) or privilege is a configuration problem (78),
    // a lost server an unavailable service (69): the importer's taxonomy.
    const db::DbError error = db::classify(e);
    return Status::error(db::exit_code_for(error),
                         fmt::format("checking {} in the database failed ({}): {}{}", table,
                                     error.sqlstate.empty() ? error.exception : error.sqlstate,
                                     error.message,
                                     error.sqlstate == "42P01" ? " (run haul-import --migrate-only)" : ""));
  }
  return Status::ok();
}

}  // namespace haul::dedup
