#pragma once
// haul-dedup: processed/D/<type>/validated.jsonl -> deduped.jsonl (one
// survivor per cluster, in input order) plus failed/D/<type>/duplicates.jsonl
// (every removed record with its cluster, survivor, rule and score) and
// dedup_report.json. Conservation: in = survivors + duplicates + rejected,
// where rejected are lines that are not JSON objects (dedup_errors.jsonl).
//
// Two passes over the input keep memory bounded by the matching features,
// not the records: the first extracts features and finds exact duplicates,
// the second writes every record where clustering put it, with data_hash,
// listing_key and content_hash added (see record_identity.hpp).

#include <filesystem>
#include <map>
#include <string>

#include "dedup/dedup_config.hpp"
#include "run/stage.hpp"
#include "util/ordered_pool.hpp"

namespace haul::dedup {

class DedupStage : public run::Stage {
 public:
  std::string name() const override { return "dedup"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;

 private:
  std::size_t max_record_bytes_ = 64u << 20;
  std::size_t threads_ = default_worker_threads();
  bool against_db_ = false;
  std::string db_option_;
  std::filesystem::path config_path_;
  std::map<std::string, TypeConfig> configs_;
};

}  // namespace haul::dedup
