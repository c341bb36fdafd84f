#pragma once
// haul-import: processed/D/<type>/{enriched,deduped,validated}.jsonl (the
// latest stage output present) -> PostgreSQL table <type>, with
//   failed/D/<type>/import_errors.jsonl   rows the database refused, each with
//                                         its SQLSTATE, message and record
//   failed/D/<type>/retry_queue.jsonl     rows not loaded because the database
//                                         was unavailable or the run stopped
//   processed/D/<type>/import_report.json the counts, written last
// and the conservation law
//   read = inserted + updated + unchanged + superseded + rejected + queued.
//
// Records are loaded in chunks (--chunk-size, one transaction each, see
// ChunkLoader). Transient errors roll the chunk back and retry it with
// backoff (RetryPolicy); a chunk that still fails is queued, and so is
// everything after it (the database is down: more attempts would only delay
// the exit). Exit 69 when anything was queued, 75 when another importer holds
// the database, 78 for configuration, privilege and schema errors.
//
// There is no skip logic: the database, not the files, is the output, and an
// unchanged re-import writes nothing anyway.

#include <map>
#include <string>

#include "db/retry_policy.hpp"
#include "dedup/record_identity.hpp"
#include "import/import_session.hpp"
#include "run/stage.hpp"

namespace haul::import {

class ImportStage : public run::Stage {
 public:
  std::string name() const override { return "import"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  bool done_after_prepare() const override { return migrate_only_; }
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;

 private:
  // Connects (retrying transient failures) and sets the session up.
  Status open_session();
  Status identity_for(const run::StageContext& context, const std::string& type,
                      dedup::RecordIdentity*& out);

  std::string db_option_;
  bool migrate_only_ = false;
  std::size_t chunk_size_ = 5000;
  std::size_t max_record_bytes_ = 64u << 20;
  db::RetryPolicy retry_;
  int retry_base_ms_ = 500;
  int retry_cap_ms_ = 30000;
  std::unique_ptr<ImportSession> session_;
  std::map<std::string, dedup::RecordIdentity> identities_;
};

}  // namespace haul::import
