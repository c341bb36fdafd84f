#pragma once
// haul-scrape: config/sources.json -> raw/D/<type>/<source>_NNN.json and
// raw/D/<type>/meta.json. A partition (date, type) scrapes every enabled
// source of the type that has a url (or only --source NAME), all of them
// at once through one polite HTTP client. robots.txt of each host is read
// first (unless a source opts out).
//
// --retry-failed scrapes only the sources that this date's meta.json says
// failed or were partial (haul-run's run of a date already scraped), leaving
// the others' raw files alone; with none to retry the partition is skipped.
// A retried source that fails again is an error line, not a failure, while
// another source of the type has data for the date.
//
// Exit codes: 0 when at least one source succeeded (the failures are in
// meta.json, the log and the ledger), 69 when every selected source failed,
// 78 for configuration errors (a missing ${VAR} included), 75 when the
// partition is locked.

#include <string>

#include "run/stage.hpp"
#include "source/source_catalog.hpp"

namespace haul::scrape {

class ScrapeStage : public run::Stage {
 public:
  std::string name() const override { return "scrape"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;
  ExitCode final_exit_code(ExitCode combined) const override;

 private:
  std::vector<const source::SourceSpec*> selected(const std::string& type) const;

  std::string only_source_;
  bool retry_failed_ = false;
  source::SourceCatalog catalog_;
  std::filesystem::path sources_path_;
  int sources_succeeded_ = 0;
  int sources_failed_ = 0;
};

}  // namespace haul::scrape
