#include "report/stage_files.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <system_error>

namespace haul::report {
namespace {

namespace fs = std::filesystem;

class FileReader {
 public:
  FileReader(const io::DataLayout& layout, const Date& date, const std::string& type,
             const std::set<std::string>& completed, StageFiles& out)
      : layout_(layout), date_(date.to_string()), type_(type), completed_(completed), out_(out) {}

  // Opens `stage`'s file `path` as a JSON object; false (with a note unless
  // it is absent and the stage never completed) when it cannot be used.
  bool open(const char* stage, const fs::path& path, simdjson::dom::object& root) {
    path_ = path;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      if (completed_.count(stage)) note("is missing, yet the ledger has a completed run");
      return false;
    }
    simdjson::dom::element element;
    if (auto error = parser_.load(path.string()).get(element)) {
      note(fmt::format("cannot be read: {}", simdjson::error_message(error)));
      return false;
    }
    if (element.get(root)) {
      note("is not a JSON object");
      return false;
    }
    return true;
  }

  void note(const std::string& what) {
    out_.notes.push_back(fmt::format("{}: {}", layout_.relative(path_), what));
  }

  void add(const char* stage, const char* kind, std::string_view key, std::uint64_t count) {
    out_.facts.push_back({date_, type_, stage, kind, std::string(key), count});
  }

  // Every member of root[field], an object of counts, as facts.
  void counts_object(simdjson::dom::object root, const char* field, const char* stage,
                     const char* kind) {
    simdjson::dom::object counts;
    if (root[field].get(counts)) {
      note(fmt::format("has no object \"{}\"", field));
      return;
    }
    for (auto [key, value] : counts) {
      std::uint64_t n = 0;
      if (value.get(n)) {
        note(fmt::format("\"{}\".\"{}\" is not a count", field, key));
        continue;
      }
      add(stage, kind, key, n);
    }
  }

  // root[field] as a count, noted when absent or not a count.
  bool count(simdjson::dom::object root, const char* field, std::uint64_t& n) {
    if (root[field].get(n)) {
      note(fmt::format("has no count \"{}\"", field));
      return false;
    }
    return true;
  }

  void scrape(const fs::path& path) {
    simdjson::dom::object root, sources;
    if (!open("scrape", path, root)) return;
    if (root["sources"].get(sources)) {
      note("has no object \"sources\"");
      return;
    }
    std::map<std::string, std::uint64_t> by_status;
    for (auto [name, value] : sources) {
      simdjson::dom::object source;
      std::uint64_t records = 0;
      if (value.get(source) || source["records"].get(records)) {
        note(fmt::format("source \"{}\" has no count \"records\"", name));
        continue;
      }
      add("scrape", "source", name, records);
      simdjson::dom::array errors;
      if (!source["errors"].get(errors) && errors.size() > 0) {
        add("scrape", "failed_page", name, errors.size());
      }
      std::string_view status;
      if (!source["status"].get(status) && status != "ok") {
        out_.notes.push_back(fmt::format("scrape {}/{}: source {} is {}", date_, type_,
                                         std::string_view(name), status));
      }
      simdjson::dom::object codes;
      if (source["status_codes"].get(codes)) continue;
      for (auto [code, n] : codes) {
        std::uint64_t count = 0;
        if (!n.get(count)) by_status[std::string(code)] += count;
      }
    }
    for (const auto& [code, n] : by_status) add("scrape", "http_status", code, n);
  }

  void validate(const fs::path& path) {
    simdjson::dom::object root;
    if (open("validate", path, root)) counts_object(root, "errors_by_code", "validate", "error");
  }

  void dedup(const fs::path& path) {
    simdjson::dom::object root;
    if (!open("dedup", path, root)) return;
    std::uint64_t exact = 0;
    if (count(root, "exact_duplicates", exact)) add("dedup", "duplicate", "exact", exact);
    counts_object(root, "near_duplicates_by_rule", "dedup", "duplicate");
  }

  void enrich(const fs::path& path) {
    simdjson::dom::object root;
    if (!open("enrich", path, root)) return;
    counts_object(root, "rejected_by_code", "enrich", "error");
    counts_object(root, "warnings_by_code", "enrich", "warning");
  }

  void import(const fs::path& path) {
    simdjson::dom::object root;
    if (!open("import", path, root)) return;
    for (const char* field :
         {"inserted", "updated", "unchanged", "superseded", "rejected", "queued_for_retry"}) {
      std::uint64_t n = 0;
      if (count(root, field, n)) add("import", "row", field, n);
    }
  }

 private:
  const io::DataLayout& layout_;
  std::string date_;
  const std::string& type_;
  const std::set<std::string>& completed_;
  StageFiles& out_;
  simdjson::dom::parser parser_;
  fs::path path_;
};

}  // namespace

void read_stage_files(const io::DataLayout& layout, const Date& date, const std::string& type,
                      const std::set<std::string>& completed, StageFiles& out) {
  FileReader reader(layout, date, type, completed, out);
  const fs::path processed = layout.processed_dir(date, type);
  reader.scrape(layout.raw_dir(date, type) / "meta.json");
  reader.validate(processed / "validate_report.json");
  reader.dedup(processed / "dedup_report.json");
  reader.enrich(processed / "enrich_report.json");
  reader.import(processed / "import_report.json");
}

}  // namespace haul::report
