#pragma once
// What the stages' own report files say about a partition, beyond the
// ledger's in/out/rejected: errors by code, duplicates by rule, rows
// inserted/updated/unchanged, records and failed pages per source. Read from
//   raw/D/<type>/meta.json                       (scrape, per source)
//   processed/D/<type>/validate_report.json      errors_by_code
//   processed/D/<type>/dedup_report.json         exact_duplicates, near_duplicates_by_rule
//   processed/D/<type>/enrich_report.json        rejected_by_code, warnings_by_code
//   processed/D/<type>/import_report.json        inserted, updated, ...
// A missing file is normal when the stage has not run (and noted when the
// ledger says it completed); a file that cannot be read
// or is not the JSON the stage writes becomes a note naming the file and the
// field, never a failure: a report must still come out when a stage broke.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "io/data_layout.hpp"
#include "util/date.hpp"

namespace haul::report {

// One figure of a stage report file. `kind` says what `key` is:
//   error      validate errors_by_code, enrich rejected_by_code (key: code)
//   warning    enrich warnings_by_code (key: code)
//   duplicate  dedup: "exact" and each near-duplicate rule (key: rule)
//   row        import: inserted, updated, unchanged, superseded, rejected, queued_for_retry
//   source     scrape: records per source (key: source)
//   failed_page  scrape: pages that failed per source (key: source), when any
//   http_status  scrape: responses by status code over all sources (key: code)
struct Fact {
  std::string date, type, stage, kind, key;
  std::uint64_t count = 0;
};

struct StageFiles {
  std::vector<Fact> facts;         // in stage order, then file order
  std::vector<std::string> notes;  // files that could not be used, sources that failed
};

// Reads the report files of every stage for (date, type) and appends to
// `out`. `completed` names the stages the ledger has a completed run of for
// the partition: their missing files are noted.
void read_stage_files(const io::DataLayout& layout, const Date& date, const std::string& type,
                      const std::set<std::string>& completed, StageFiles& out);

}  // namespace haul::report
