#pragma once
// haul-enrich: processed/D/<type>/deduped.jsonl -> enriched.jsonl (every
// record with its grade, location, coordinates, market data and checked
// image URLs) plus failed/D/<type>/enrich_errors.jsonl (records that are not
// JSON objects), daily_deals.json (vehicles: the day's best prices against
// the market) and enrich_report.json, written last. Conservation:
// in = enriched + rejected. Enrichment problems that leave a record usable
// are warnings on the record (enrichWarnings), never a rejection.
//
// Two passes: the first collects what needs the whole batch (market prices,
// the distinct places to geocode), then the database's prices and the
// geocoder's answers are fetched once, and the second pass writes.

#include <filesystem>
#include <map>
#include <string>

#include "enrich/enrich_config.hpp"
#include "run/stage.hpp"
#include "util/ordered_pool.hpp"

namespace haul::enrich {

enum class MarketDatabase { kAuto, kOn, kOff };

class EnrichStage : public run::Stage {
 public:
  std::string name() const override { return "enrich"; }
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
  std::string market_db_option_ = "auto";
  MarketDatabase market_db_ = MarketDatabase::kAuto;
  std::string db_option_;
  std::filesystem::path config_path_;
  std::map<std::string, TypeConfig> configs_;
};

}  // namespace haul::enrich
