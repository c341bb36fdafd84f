#pragma once
// The three identities haul gives a record (each 64 lower-case hex digits):
//
//   data_hash     the original pipeline's hash, byte for byte: for vehicles
//                 sha256(lower([make, model, year, stockNumber || '',
//                 sourceName].join('|'))). It lets haul recognise rows that
//                 pipeline already wrote, but it is not unique per listing
//                 (Kijiji has no stock numbers: two 2015 Corollas share it).
//   listing_key   which listing this is: the first configured alternative
//                 whose fields are all present (e.g. source + stock number,
//                 source + VIN, source + URL car id), else the content hash.
//                 The database's upsert key.
//   content_hash  what the record says: every field except _meta and these
//                 three, as serialized. The database's change detector.
//
// exact_key() is dedup's own key for verbatim repeats: the configured fields
// (default: all but _meta) normalised for matching, so case and spacing
// differences still collapse.

#include <simdjson.h>

#include <filesystem>
#include <memory>
#include <string>

#include "dedup/dedup_config.hpp"
#include "dedup/url_id.hpp"
#include "util/sha256.hpp"
#include "util/status.hpp"

namespace haul::dedup {

struct RecordHashes {
  std::string data_hash, listing_key, content_hash;
};

// The top-level fields haul-dedup adds; a record arriving with any of them
// has it replaced, never duplicated.
inline constexpr std::string_view kHashFields[] = {"data_hash", "listing_key", "content_hash"};
bool is_hash_field(std::string_view key);

// Not thread-safe (it reuses one SHA-256 context): one per thread. Movable,
// not copyable, so two threads can never share a context by accident.
class RecordIdentity {
 public:
  // For `type`, from <config_dir>/dedup.json (built-in defaults if absent).
  static Status load(const std::filesystem::path& config_dir, const std::string& type,
                     RecordIdentity* out);
  RecordIdentity() = default;
  explicit RecordIdentity(const TypeConfig& config);

  RecordHashes hashes(simdjson::dom::object record);
  Sha256::Digest exact_key(simdjson::dom::object record);
  // The car id in the record's URL field, or empty.
  std::string url_id(simdjson::dom::object record) const;

 private:
  std::string content_text(simdjson::dom::object record);

  IdentityConfig config_;
  std::string type_;
  std::string url_field_;
  std::shared_ptr<const UrlIdExtractor> url_ids_;
  std::unique_ptr<Sha256> sha_ = std::make_unique<Sha256>();
  std::string scratch_;
};

// A field's value as JavaScript's Array.prototype.join writes it: strings
// as they are, numbers in JavaScript's shortest form, null/absent as "".
void append_js_join_value(std::string& out, simdjson::dom::element value);

// A field's value in matching form: strings normalised (NFKC, case-folded,
// spacing collapsed), numbers as JavaScript writes them; empty when absent,
// null or blank.
std::string matching_text(simdjson::dom::element value);

}  // namespace haul::dedup
