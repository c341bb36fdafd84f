#pragma once
// What config/dedup.json says about one record type: how a record's
// identities are hashed, how near duplicates are found and scored, and which
// record of a cluster survives. Every setting has a built-in default that fits
// listings, so the file is optional; a section present in the file replaces
// only the keys it names. See config/README.md for the format.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::dedup {

// How one field of two records is compared; each yields a similarity in [0, 1].
enum class CompareMethod {
  kLevenshtein,  // normalised text, 1 - distance / longer length (code points)
  kNumber,       // 1 within `close` relative difference, falling to 0 at `far`
  kEqual,        // normalised text equal
};

struct Comparison {
  std::string field;  // top-level field name
  CompareMethod method = CompareMethod::kEqual;
  double weight = 1.0;
  double close = 0.0;           // kNumber: relative difference that still scores 1
  double far = 0.0;             // kNumber: relative difference that scores 0
  double absolute_close = 0.0;  // kNumber: absolute difference that still scores 1
  std::size_t max_code_points = 0;  // kLevenshtein: compare only this prefix (0: all)
  // Counts only when the values are equal: evidence for, never against (two
  // sites give one car different URL ids).
  bool equal_only = false;
};

// Records sharing every key value fall in one block; pairs are compared only
// inside blocks. A block larger than max_block is not compared all-pairs: it
// is sorted by sort_field and each record compared with its `window` next
// neighbours (sorted neighbourhood), which bounds work at n * window.
struct BlockingRule {
  std::string name;
  std::vector<std::string> keys;  // field names or the derived "url_id"
  std::size_t max_block = 200;
  std::string sort_field;  // empty: the first comparison field
  std::size_t window = 20;
};

struct NearDuplicateConfig {
  bool enabled = true;
  double threshold = 0.85;
  // Weight that must be present on both records for a score to count, so two
  // records sharing only a model name never merge on that alone.
  double min_evidence = 3.0;
  std::size_t max_cluster_size = 50;  // guards against chaining A~B~C~...
  std::string decisive_field;         // equal values match, different values never do ("vin")
  std::string url_field;              // field the URL car id is extracted from
  std::vector<std::string> url_id_patterns;  // RE2, first capture group is the id
  std::vector<BlockingRule> blocking;
  std::vector<Comparison> compare;
};

struct IdentityConfig {
  // data_hash: the original pipeline's formula: these fields' values joined
  // with '|' as JavaScript's Array.join would, lower-cased, SHA-256 hex.
  std::vector<std::string> data_hash_fields;
  // listing_key: the first alternative whose fields are all present, hashed
  // with the type and the alternative's index; else the content hash.
  std::vector<std::vector<std::string>> listing_key_alternatives;
  // Exact duplicates share these fields' normalised values; empty: every
  // field but _meta (records repeated verbatim, modulo case and spacing).
  std::vector<std::string> exact_key_fields;
};

struct TypeConfig {
  std::string type;
  IdentityConfig identity;
  NearDuplicateConfig near;
  // Survivor choice: higher priority first (by _meta.source), then more
  // fields present, then the most recent value at recency_pointer, then the
  // earliest input position.
  std::map<std::string, int, std::less<>> source_priority;
  std::string recency_pointer = "/_meta/scraped_at";
};

// Built-in defaults for `type` (vehicles, events or articles).
TypeConfig default_config(const std::string& type);

// The defaults overlaid with `type`'s section of <config_dir>/dedup.json,
// which may be absent. Fails with ExitCode::kConfig naming the file and key.
Status load_config(const std::filesystem::path& config_dir, const std::string& type,
                   TypeConfig& out);

}  // namespace haul::dedup
