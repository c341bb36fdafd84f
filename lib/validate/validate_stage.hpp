#pragma once
// haul-validate: raw/D/<type>/*.json -> processed/D/<type>/validated.jsonl
// plus failed/D/<type>/validation_errors.jsonl, with the conservation law
// records in = valid + rejected. A file broken as a whole (not JSON,
// truncated array) counts as one rejected record: its records never reach
// validated.jsonl, and one failed line names the file, the reason and the
// byte offset.
//
// A partition whose outputs were made from exactly the present inputs and
// configuration (validate_report.json keeps their fingerprint) is skipped
// unless --force.

#include <map>
#include <memory>
#include <string>

#include "run/stage.hpp"
#include "schema/record_policy.hpp"
#include "schema/schema.hpp"
#include "source/source_catalog.hpp"
#include "util/ordered_pool.hpp"

namespace haul::validate {

class ValidateStage : public run::Stage {
 public:
  std::string name() const override { return "validate"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;

 private:
  struct TypeConfig {
    std::filesystem::path schema_path;
    std::unique_ptr<schema::Schema> schema;
    schema::RecordPolicy policy;
    std::string fingerprint;  // of the schema and sources files
  };
  Status load_type(const run::StageContext& context, const std::string& type, TypeConfig*& out);

  double max_reject_rate_ = -1;  // negative: no gate
  std::size_t max_record_bytes_ = 64u << 20;
  std::size_t threads_ = default_worker_threads();
  source::SourceCatalog sources_;
  std::filesystem::path sources_path_;
  std::map<std::string, TypeConfig> types_;
};

}  // namespace haul::validate
