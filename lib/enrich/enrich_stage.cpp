#include "enrich/enrich_stage.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "db/connection.hpp"
#include "enrich/market_database.hpp"
#include "enrich/market_index.hpp"
#include "enrich/place_book.hpp"
#include "enrich/record_enricher.hpp"
#include "enrich/record_plan.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "io/record_block.hpp"
#include "io/record_cuts.hpp"
#include "run/config_section.hpp"
#include "run/partition_stamp.hpp"
#include "run/progress.hpp"
#include "util/position_table.hpp"

namespace haul::enrich {
namespace fs = std::filesystem;
namespace {

constexpr const char* kInputFile = "deduped.jsonl";
constexpr const char* kEnrichedFile = "enriched.jsonl";
constexpr const char* kErrorsFile = "enrich_errors.jsonl";
constexpr const char* kDealsFile = "daily_deals.json";
constexpr const char* kReportFile = "enrich_report.json";
constexpr const char* kGeocodeCacheFile = "geocode_cache.jsonl";

// What the first pass collects from a block of records.
struct FeatureBatch : io::RecordBlock {
  // The block's distinct places, and which record has which: the stage's
  // thread then looks each place up once per block, not once per record.
  struct DistinctPlace {
    std::string query;  // geocode_query(place), computed here on the worker
    Place place;
  };
  std::vector<DistinctPlace> places;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> place_of;  // position, index in `places`
  // The block's listings with their model as an index in `models` (the
  // stage's thread looks each model up once per block).
  struct Listing {
    std::uint64_t position;
    std::uint32_t model;
    int year;
    double price;
    bool has_price;
  };
  std::vector<std::string> models;  // model_key()s
  std::vector<Listing> market;
  std::vector<std::uint64_t> listing_bits;  // listing_key bits of the block's listings
  std::vector<RecordPlan> plans;            // one per record
};

// Per worker: a parser, reused for every record.
struct FeatureReader {
  explicit FeatureReader(const RecordPlanner& planner) : planner(planner) {}
  const RecordPlanner& planner;
  simdjson::dom::parser parser;
  RecordFields fields;
  MemoPlaceParser places;
  MarketFeatureReader market_reader;
  std::unordered_map<std::uint64_t, std::uint32_t> block_places;  // place id -> index in the block
  std::unordered_map<std::string, std::uint32_t> block_models;    // model key -> index in the block
  // `listing_keys`: collect the listings' keys (only the database's market
  // rows need them, to leave out this batch's own listings).
  void read(FeatureBatch& batch, bool market, bool location, bool listing_keys) {
    MarketFeatures features;
    block_places.clear();
    block_models.clear();
    batch.plans.resize(batch.records.size());
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
      const io::RawRecord& raw = batch.records[i];
      simdjson::dom::element root;
      simdjson::dom::object record;
      if (raw.too_large || parser.parse(raw.bytes.data(), raw.bytes.size(), false).get(root) ||
          root.get(record)) {
        continue;  // the second pass rejects it, with the reason
      }
      fields.read(planner.first_pass_fields(), record);
      batch.plans[i] = planner.plan(fields);
      if (location) {
        const MemoPlaceParser::Parsed parsed = places.parse(fields);
        if (!parsed.place.empty()) {
          auto [local, added] =
              block_places.try_emplace(parsed.id, static_cast<std::uint32_t>(batch.places.size()));
          if (added) batch.places.push_back({geocode_query(parsed.place), parsed.place});
          batch.place_of.emplace_back(raw.index, local->second);
        }
      }
      if (market && market_reader.read(fields, features)) {
        auto [local, added] = block_models.try_emplace(
            features.model_key, static_cast<std::uint32_t>(batch.models.size()));
        if (added) batch.models.push_back(features.model_key);
        batch.market.push_back(
            {raw.index, local->second, features.year, features.price, features.has_price});
        std::string_view key;
        if (listing_keys && !fields["listing_key"].get(key)) {
          batch.listing_bits.push_back(listing_key_bits(key));
        }
      }
    }
  }
};

// What the market's database side came to, for the report.
struct DatabaseUse {
  std::string state = "off";  // off, not_configured, used, unavailable
  std::string reason;
  DatabaseMarketStats stats;
};

void write_map(io::JsonWriter& json, std::string_view key,
               const std::map<std::string, std::uint64_t>& counts) {
  json.key(key);
  json.begin_object();
  for (const auto& [name, n] : counts) json.field(name, n);
  json.end_object();
}

void write_location(io::JsonWriter& json, const EnrichTally& tally, const PlaceBook& places) {
  const PlaceBook::Stats& stats = places.stats();
  json.key("location");
  json.begin_object();
  json.field("records_without_place", tally.without_place);
  json.field("records_geocoded", [&] {
    std::uint64_t n = 0;
    for (const auto& [key, count] : tally.geocoded) n += count;
    return n;
  }());
  json.field("records_not_geocoded", tally.geocode_misses);
  write_map(json, "geocoded_by_source_and_precision", tally.geocoded);
  write_map(json, "fields_filled", tally.fields_filled);
  write_map(json, "countries", tally.countries);
  write_map(json, "regions", tally.regions);
  json.field("distinct_places", stats.places);
  json.field("gazetteer_hits", stats.gazetteer_hits);
  json.field("http_hits", stats.http_hits);
  json.field("misses", stats.misses);
  json.key("http_geocoder");
  json.begin_object();
  json.field("configured", stats.http_configured);
  json.field("cache_hits", stats.http.cache_hits);
  json.field("requests", stats.http.requests);
  json.field("found", stats.http.found);
  json.field("not_found", stats.http.not_found);
  json.field("failed", stats.http.failed);
  json.field("over_budget", stats.http.over_budget);
  json.end_object();
  json.end_object();
}

void write_counts(io::JsonWriter& json, const EnrichTally& tally, const DatabaseUse& database,
                  std::size_t deals, const PlaceBook* places) {
  json.field("records_in", tally.in);
  json.field("enriched", tally.enriched);
  json.field("rejected", tally.rejected);
  json.key("rejected_by_code");
  json.begin_object();
  for (const auto& [code, n] : tally.rejected_by_code) json.field(code, n);
  json.end_object();
  json.field("records_with_warnings", tally.warnings);
  json.key("warnings_by_code");
  json.begin_object();
  for (const auto& [code, n] : tally.warnings_by_code) json.field(code, n);
  json.end_object();
  json.key("grades");
  json.begin_object();
  for (const auto& [grade, n] : tally.grades) json.field(grade, n);
  json.end_object();
  json.key("market");
  json.begin_object();
  json.field("listings", tally.market_listings);
  json.field("with_median", tally.market_with_median);
  json.field("with_price_vs_market", tally.market_priced);
  json.field("top_deals", static_cast<std::uint64_t>(deals));
  json.field("database", database.state);
  if (!database.reason.empty()) json.field("database_reason", database.reason);
  json.field("database_rows", database.stats.rows);
  json.field("database_rows_in_batch", database.stats.same_listing);
  json.field("database_queries", database.stats.queries);
  json.end_object();
  if (places) write_location(json, tally, *places);
  json.key("images");
  json.begin_object();
  json.field("checked", tally.images_checked);
  json.field("normalised", tally.images_normalised);
  json.field("refused", tally.images_refused);
  json.end_object();
}

std::string deals_document(const Date& date, const std::vector<DealCandidate>& deals,
                           const MarketConfig& market) {
  std::string out;
  io::JsonWriter json(out);
  run::begin_partition_report(json, "enrich", date, "vehicles");
  json.field("ranking", "price vs the median of comparable listings, lowest first");
  json.field("min_comparables", static_cast<std::uint64_t>(market.min_comparables));
  json.field("year_window", market.year_window);
  json.key("deals");
  json.begin_array();
  std::int64_t rank = 0;
  for (const DealCandidate& deal : deals) {
    // Each entry's JSON is an object: its rank goes first.
    json.begin_object();
    json.field("rank", ++rank);
    out.push_back(',');
    out.append(std::string_view(deal.json).substr(1, deal.json.size() - 2));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  out.push_back('\n');
  return out;
}

// Looks the batch's distinct places up: the gazetteer, then the HTTP
// geocoder for its misses, whose answers are kept in data/state/. A dry run
// asks no server and writes no cache: it reads what the cache already knows.
Status resolve_places(const run::StageContext& context, const LocationConfig& settings,
                      PlaceBook& places) {
  const Gazetteer& gazetteer = Gazetteer::instance();
  if (!settings.http_geocoder) {
    places.resolve(gazetteer, nullptr, nullptr);
    return Status::ok();
  }
  HttpGeocoderConfig http = *settings.http_geocoder;
  http.cache_file = (context.layout.state_dir() / kGeocodeCacheFile).string();
  GeocodeCache cache;
  if (Status s =
          cache.load(http.cache_file, http.negative_ttl_days, std::chrono::system_clock::now());
      !s.is_ok()) {
    return s;
  }
  if (context.options.dry_run) {
    places.resolve(gazetteer, nullptr, &cache);
    return Status::ok();
  }
  HttpGeocoder geocoder(http, cache);
  places.resolve(gazetteer, &geocoder, nullptr);
  for (const std::string& failure : geocoder.failures()) spdlog::warn("geocoder: {}", failure);
  std::error_code ec;
  std::filesystem::create_directories(context.layout.state_dir(), ec);
  // A cache that cannot be saved costs requests next time, not data.
  if (Status s = cache.save(); !s.is_ok()) spdlog::warn("geocode cache not saved: {}", s.message());
  return Status::ok();
}

}  // namespace

std::string EnrichStage::description() const {
  return "Enrich deduplicated records: investment grade from config rules, region and country "
         "from the location, coordinates from the offline gazetteer (and an optional HTTP "
         "geocoder), market median and deal score from comparable listings, checked image URLs. "
         "Writes processed/D/<type>/enriched.jsonl and, for vehicles, daily_deals.json.";
}

void EnrichStage::add_options(CLI::App& app) {
  run::add_max_record_bytes_option(app, max_record_bytes_);
  run::add_threads_option(app, threads_, "Worker threads");
  app.add_option("--market-db", market_db_option_,
                 "Add the database's active listings to the market comparables: auto (when a "
                 "database is configured, and go on without it if it cannot be read), on (it "
                 "must be read: exit 69/78 otherwise), off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  run::add_db_option(app, db_option_, "for the market data");
}

Status EnrichStage::prepare(const run::StageContext& context) {
  market_db_ = market_db_option_ == "on"    ? MarketDatabase::kOn
               : market_db_option_ == "off" ? MarketDatabase::kOff
                                            : MarketDatabase::kAuto;
  config_path_ = fs::path(context.options.config_dir) / "enrich.json";
  return run::load_type_configs(
      [&](const std::string& type, TypeConfig& config) {
        return load_config(context.options.config_dir, type, config);
      },
      configs_);
}

std::vector<std::string> EnrichStage::types_with_input(const run::StageContext& context,
                                                       const Date& date) const {
  return context.layout.types_with_processed(date, kInputFile);
}

std::string EnrichStage::input_location(const run::StageContext& context, const Date& date) const {
  return (context.layout.processed_dir(date, "<type>") / kInputFile).string();
}

run::PartitionResult EnrichStage::run(const run::StageContext& context, const Date& date,
                                      const std::string& type) {
  run::PartitionResult result;
  auto fail = [&](const Status& status) {
    result.exit_code = status.code();
    result.error = status.message();
    return result;
  };
  const auto started = std::chrono::steady_clock::now();
  const fs::path processed = context.layout.processed_dir(date, type);
  const fs::path failed = context.layout.failed_dir(date, type);
  const fs::path input = processed / kInputFile;
  const auto input_identity = run::file_identity(input);
  if (!input_identity) {
    return fail(Status::error(ExitCode::kNoInput,
                              fmt::format("no {} (run haul-dedup first)", input.string())));
  }
  const TypeConfig& config = configs_.at(type);
  const bool market = config.market.enabled;
  const bool use_database =
      market && market_db_ != MarketDatabase::kOff &&
      (market_db_ == MarketDatabase::kOn || db::database_configured(db_option_));
  const std::string fingerprint = run::fingerprint(
      run::file_stamp(input) + run::file_stamp(config_path_) + "market-db " + market_db_option_);
  const fs::path report_path = processed / kReportFile;
  std::vector<fs::path> output_paths = {processed / kEnrichedFile, failed / kErrorsFile};
  if (market) output_paths.push_back(processed / kDealsFile);

  // With the database's prices the outputs depend on it too: never skipped.
  if (!context.options.force && !context.options.dry_run && !use_database) {
    if (auto counts = run::up_to_date_counts(report_path, fingerprint, output_paths, "enriched",
                                             "rejected")) {
      result.skipped = true;
      result.counts = *counts;
      result.summary =
          fmt::format("up to date ({} in, {} enriched, {} rejected); --force redoes it", counts->in,
                      counts->out, counts->rejected);
      return result;
    }
  }

  std::error_code ec;
  const auto input_bytes = fs::file_size(input, ec);
  const bool location = config.location.enabled;
  const bool first_pass = market || location;
  run::Progress progress(fmt::format("enrich {}/{}", date.to_string(), type),
                         ec ? 0 : (first_pass ? 2 : 1) * input_bytes,
                         run::progress_wanted(context.options.quiet));

  // The gazetteer's index is built while the first pass reads (it is needed
  // only after it).
  std::thread gazetteer_loader;
  if (location) gazetteer_loader = std::thread([] { Gazetteer::instance(); });
  struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_loader{gazetteer_loader};

  // Pass 1: what needs the whole batch, and how to write each record.
  MarketIndexBuilder builder(config.market.year_window);
  PlaceBook places;
  std::unordered_set<std::uint64_t> batch_listings;
  const RecordPlanner planner(config);
  PositionTable<RecordPlan> plans;
  io::RecordCuts cuts;  // so the second pass reads the same blocks without cutting them again
  if (first_pass) {
    std::vector<std::unique_ptr<FeatureReader>> readers;
    for (std::size_t i = 0; i < threads_; ++i)
      readers.push_back(std::make_unique<FeatureReader>(planner));
    Status read = io::for_each_block<FeatureBatch>(
        input, max_record_bytes_, threads_,
        [&](FeatureBatch& batch, std::size_t worker) {
          readers[worker]->read(batch, market, location, use_database);
        },
        [&](FeatureBatch& batch) {
          progress.advance(batch.input_bytes(), batch.records.size());
          if (batch.records.empty()) return;
          plans.grow_to(batch.records.back().index + 1);
          for (std::size_t i = 0; i < batch.records.size(); ++i) {
            plans[batch.records[i].index] = batch.plans[i];
          }
          std::vector<std::uint32_t> place_ids;
          place_ids.reserve(batch.places.size());
          for (auto& distinct : batch.places) {
            place_ids.push_back(
                places.add_place(std::move(distinct.query), std::move(distinct.place)));
          }
          for (const auto& [position, local] : batch.place_of) {
            places.place_at(position, place_ids[local]);
          }
          std::vector<std::uint32_t> model_ids;
          model_ids.reserve(batch.models.size());
          for (const std::string& key : batch.models) model_ids.push_back(builder.model_id(key));
          for (const FeatureBatch::Listing& l : batch.market) {
            builder.add_batch_listing(l.position, model_ids[l.model], l.year, l.price, l.has_price);
          }
          batch_listings.insert(batch.listing_bits.begin(), batch.listing_bits.end());
          cuts.keep(batch);
        });
    if (!read.is_ok()) return fail(read);
  }
  const auto first_pass_done = std::chrono::steady_clock::now();

  DatabaseUse database;
  if (market && market_db_ != MarketDatabase::kOff) database.state = "not_configured";
  if (use_database) {
    Status s = load_database_market(db::resolve_conninfo(db_option_), builder.batch_makes(),
                                    batch_listings, builder, database.stats);
    if (s.is_ok()) {
      database.state = "used";
    } else if (market_db_ == MarketDatabase::kOn) {
      return fail(s);
    } else {
      database.state = "unavailable";
      database.reason = s.message();
      spdlog::warn("market data from this batch only: {}", s.message());
    }
  }
  const MarketIndex market_index = builder.build();
  if (location) {
    if (Status s = resolve_places(context, config.location, places); !s.is_ok()) return fail(s);
  }

  const auto between_done = std::chrono::steady_clock::now();
  // Pass 2: enrich and write.
  std::unique_ptr<io::NdjsonWriter> enriched, errors;
  if (!context.options.dry_run) {
    if (Status s = io::NdjsonWriter::open(output_paths[0], enriched); !s.is_ok()) return fail(s);
    if (Status s = io::NdjsonWriter::open(output_paths[1], errors); !s.is_ok()) return fail(s);
  }
  std::vector<std::unique_ptr<RecordEnricher>> enrichers;
  for (std::size_t i = 0; i < threads_; ++i) {
    enrichers.push_back(std::make_unique<RecordEnricher>(config, &market_index, &places));
  }
  EnrichTally tally;
  std::vector<DealCandidate> deals;
  Status written;
  const std::function<void(EnrichBatch&, std::size_t)> enrich = [&](EnrichBatch& batch,
                                                                    std::size_t worker) {
    enrichers[worker]->enrich(batch, first_pass ? &plans : nullptr);
  };
  const std::function<void(EnrichBatch&)> write = [&](EnrichBatch& batch) {
    tally.add(batch.tally);
    progress.advance(batch.input_bytes(), batch.records.size());
    for (auto& deal : batch.deals) deals.push_back(std::move(deal));
    keep_best_deals(deals, config.market.top_deals);
    if (!enriched || !written.is_ok()) return;
    written = enriched->write_lines(batch.enriched, batch.tally.enriched);
    if (written.is_ok()) written = errors->write_lines(batch.errors, batch.tally.rejected);
  };
  Status read =
      first_pass
          ? io::for_each_cut_block<EnrichBatch>(input, cuts, threads_, enrich, write)
          : io::for_each_block<EnrichBatch>(input, max_record_bytes_, threads_, enrich, write);
  if (!written.is_ok()) return fail(written);
  if (!read.is_ok()) return fail(read);
  // Where the time went, for whoever tunes a slow day (timings stay out of
  // the outputs, which must not change between runs).
  spdlog::debug(
      "{}/{}: first pass {:.3f}s, market index and places {:.3f}s, second pass {:.3f}s",
      date.to_string(), type, std::chrono::duration<double>(first_pass_done - started).count(),
      std::chrono::duration<double>(between_done - first_pass_done).count(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - between_done).count());
  if (run::file_identity(input) != input_identity) {
    return fail(Status::error(
        ExitCode::kTempFail,
        fmt::format("{} changed while haul-enrich read it; run again", input.string())));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string details;
  {
    io::JsonWriter json(details);
    json.begin_object();
    write_counts(json, tally, database, deals.size(), location ? &places : nullptr);
    json.end_object();
  }
  if (enriched) {
    if (Status s = errors->commit(); !s.is_ok()) return fail(s);
    if (Status s = enriched->commit(); !s.is_ok()) return fail(s);
    if (market) {
      if (Status s = io::write_file_atomically(output_paths[2],
                                               deals_document(date, deals, config.market));
          !s.is_ok()) {
        return fail(s);
      }
    }
    std::string report;
    io::JsonWriter json(report);
    run::begin_partition_report(json, "enrich", date, type);
    json.field("fingerprint", fingerprint);
    write_counts(json, tally, database, deals.size(), location ? &places : nullptr);
    json.field("seconds", std::round(seconds * 1000) / 1000);
    json.end_object();
    report.push_back('\n');
    // The report goes last: it stamps the outputs above as complete.
    if (Status s = io::write_file_atomically(report_path, report); !s.is_ok()) return fail(s);
  }

  result.counts = {tally.in, tally.enriched, tally.rejected};
  result.details = std::move(details);
  result.summary = fmt::format("{} in, {} enriched, {} rejected; {} with warnings{}", tally.in,
                               tally.enriched, tally.rejected, tally.warnings,
                               market ? fmt::format("; {} with a market price, {} top deals",
                                                    tally.market_priced, deals.size())
                                      : "");
  return result;
}

}  // namespace haul::enrich
