#pragma once
// The sources declared in config/sources.json, as far as stages after scrape
// need them: a source's record type and its field mapping. Raw files are
// named <source>_NNN.json, which is how a record finds its source.
//
//   {"sources": [{"name": "kijiji-gta", "type": "vehicles",
//     "mapping": {"rename": {"brand": "make", "list_price": "price"},
//                 "set": {"sourceName": "Kijiji"},
//                 "derive": {"sourceUrl": "https://example.org/vin/{vin}"}}}]}
//
// rename maps source field names to canonical ones (a canonical field that
// is already present wins, and the source field is then kept as it was); set
// adds constant strings where a field is absent; derive fills an absent field
// from a template over other (already coerced) fields, and is skipped when a
// field it needs is absent.
//
// haul-scrape applies the renames when it writes raw files and haul-validate
// applies the mapping again, so renaming must be idempotent: a rename target
// may not itself be renamed (no chains like a -> b, b -> c).
//
// The same file declares how each source is fetched (fetch_spec.hpp) and the
// settings of the scrape run as a whole (a top-level "scrape" object).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "source/fetch_spec.hpp"
#include "util/status.hpp"

namespace haul::source {

struct FieldMapping {
  std::vector<std::pair<std::string, std::string>> rename;  // source -> canonical, sorted
  std::vector<std::pair<std::string, std::string>> set;     // canonical -> constant
  std::vector<std::pair<std::string, std::string>> derive;  // canonical -> template

  // The canonical name for a source field, or the name itself.
  std::string_view canonical_name(std::string_view source_field) const;
  // The names the fields of one record get, in order: each renamed unless
  // that collides with another field, in which case the field that is
  // already canonical (or the later rename) wins and this one keeps its
  // source name, as haul-validate does.
  std::vector<std::string> map_keys(const std::vector<std::string_view>& keys) const;
  bool empty() const { return rename.empty() && set.empty() && derive.empty(); }
};

struct SourceSpec {
  std::string name;
  std::string type;
  bool enabled = true;
  FieldMapping mapping;
  FetchSpec fetch;
};

class SourceCatalog {
 public:
  // A missing file is an empty catalog; a malformed one is ExitCode::kConfig.
  static Status load(const std::filesystem::path& path, SourceCatalog& out);

  const SourceSpec* find(std::string_view name) const;
  const std::vector<SourceSpec>& sources() const { return sources_; }
  const ScrapeSettings& scrape_settings() const { return scrape_settings_; }

 private:
  std::vector<SourceSpec> sources_;
  ScrapeSettings scrape_settings_;
};

// The source of a raw file: "kijiji-gta_001.json" -> "kijiji-gta". A name
// without the _NNN suffix is its own source.
std::string source_of_raw_file(std::string_view file_name);

// Expands "{field}" placeholders with `lookup(field)`; nullopt when a field
// is absent.
template <typename Lookup>
std::optional<std::string> expand_template(std::string_view pattern, Lookup lookup);

}  // namespace haul::source

#include "source/source_catalog_inl.hpp"
