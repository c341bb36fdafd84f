#pragma once
// Enriches one block of records on a worker thread: each record is given
// its grade, location, market data and checked image URLs, and written as
// one output line; a record that is not a JSON object is rejected with the
// reason. A record whose first-pass RecordPlan says it can be spliced is not
// parsed again: its text is copied and the new fields appended. Problems that leave the record
// usable (an image URL refused, a place not found) are recorded on the record itself, in
// enrichWarnings, and counted.
//
// Everything it reads (config, market index, place answers) is immutable
// during the pass; each worker has its own RecordEnricher (parser, buffers).

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "enrich/enrich_config.hpp"
#include "enrich/market_index.hpp"
#include "enrich/place_book.hpp"
#include "enrich/record_plan.hpp"
#include "io/record_block.hpp"
#include "util/position_table.hpp"

namespace haul::enrich {

struct EnrichTally {
  std::uint64_t in = 0, enriched = 0, rejected = 0;
  std::uint64_t warnings = 0;  // records with at least one warning
  std::map<std::string, std::uint64_t> warnings_by_code, rejected_by_code, grades;
  std::uint64_t market_listings = 0;     // vehicles with make, model and year
  std::uint64_t market_with_median = 0;  // of which had enough comparables
  std::uint64_t market_priced = 0;       // of which had a price vs market
  std::uint64_t images_checked = 0, images_normalised = 0, images_refused = 0;
  std::uint64_t without_place = 0, geocode_misses = 0;
  std::map<std::string, std::uint64_t> geocoded;  // "geonames/city", "http/address", ...
  std::map<std::string, std::uint64_t> regions, countries, fields_filled;

  void add(const EnrichTally& other);
};

// A listing that may be one of the day's best deals.
struct DealCandidate {
  double price_vs_market = 0;  // percent, unrounded: the ranking key
  std::uint64_t position = 0;  // line in the input, from 0: the tie-break
  std::string json;            // the daily_deals.json entry, without its rank
  bool operator<(const DealCandidate& other) const {
    return price_vs_market != other.price_vs_market ? price_vs_market < other.price_vs_market
                                                    : position < other.position;
  }
};

// Keeps the best `limit` candidates (the lowest price vs market).
void keep_best_deals(std::vector<DealCandidate>& deals, std::size_t limit);

struct EnrichBatch : io::RecordBlock {
  std::string enriched, errors;  // output lines
  EnrichTally tally;
  std::vector<DealCandidate> deals;
};

class RecordEnricher {
 public:
  // `market` and `places` may be null when the type has no market data or
  // no location step.
  RecordEnricher(const TypeConfig& config, const MarketIndex* market, const PlaceBook* places);
  // `plans`: the first pass's plan of each record, by position; null when
  // there was no first pass (every record is then parsed here).
  void enrich(EnrichBatch& batch, const PositionTable<RecordPlan>* plans);

 private:
  struct Warning {
    std::string code, field, message;
  };
  // The location members for one place and one set of absent fields: the
  // same for the thousands of listings of a town, so made once per worker.
  struct LocationPiece {
    std::string members;  // comma-led JSON members
    std::vector<std::string_view> filled;
    std::string country, region, geocoded;  // what it adds to the tally; "" for nothing
    bool has_miss = false;
    Warning miss;
    std::uint64_t uses = 0;  // in the current batch
  };
  // A listing that may be one of the batch's best deals; its entry is
  // written only if it stays among them.
  struct PendingDeal {
    DealCandidate deal;
    std::size_t record = 0;  // in the batch
    std::int64_t score = 0;
    double price = 0, median = 0;
    std::uint32_t comparables = 0;
  };
  void enrich_one(const io::RawRecord& raw, std::size_t record_in_batch, const RecordPlan* plan,
                  EnrichBatch& batch);
  void reject(const io::RawRecord& raw, std::string_view code, std::string_view message,
              EnrichBatch& batch);
  // Each step appends its fields to extra_ (JSON members, comma-led).
  void add_grade(std::string_view grade);
  void add_location(const RecordPlan& plan, std::uint64_t position, EnrichBatch& batch);
  LocationPiece make_location_piece(const PlaceBook::Entry& entry, const RecordPlan& plan) const;
  void add_market(std::uint64_t position, std::size_t record_in_batch);
  void add_warnings(EnrichBatch& batch);
  // Checks the image fields; true when one must be rewritten or dropped.
  bool check_images(simdjson::dom::object record, EnrichBatch& batch);
  void write_record(simdjson::dom::object record, bool rebuild, std::string_view text,
                    const RecordPlan& plan, EnrichBatch& batch);
  // Keeps the batch's best pending deals and writes their entries.
  void settle_deals(EnrichBatch& batch);
  void write_deal(const PendingDeal& pending, const io::RawRecord& raw, std::string& json);
  // Moves the per-batch counters into the batch's tally.
  void flush_counts(EnrichBatch& batch);
  // The new JSON of an image field that changes ("" when dropped), or null.
  const std::string* find_rewrite(std::string_view field) const;
  // extra_'s members, without their leading comma when nothing precedes them.
  void append_members(std::string& out, bool after_members) const;

  const TypeConfig& config_;
  const MarketIndex* market_;
  const PlaceBook* places_;
  RecordPlanner planner_;
  simdjson::dom::parser parser_;
  std::vector<Warning> warnings_;
  std::string extra_, line_;
  // Image fields whose value changes: field name -> replacement JSON ("" drops it).
  std::vector<std::pair<std::string, std::string>> image_rewrites_;
  std::unordered_map<std::uint64_t, LocationPiece> location_pieces_;  // by place id << 8 | absent
  std::vector<LocationPiece*> used_pieces_;
  std::vector<std::pair<std::string_view, std::uint64_t>> grade_counts_;  // in the current batch
  std::vector<PendingDeal> pending_deals_;
  std::uint64_t market_listings_ = 0, market_with_median_ = 0, market_priced_ = 0;
};

}  // namespace haul::enrich
