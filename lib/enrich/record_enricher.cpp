#include "enrich/record_enricher.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "enrich/image_url.hpp"
#include "enrich/regions.hpp"
#include "io/json_writer.hpp"
#include "util/utf8.hpp"

namespace haul::enrich {

using simdjson::dom::element;
using simdjson::dom::object;

namespace {

// Rounded to `decimals` places; dividing last keeps 33.3 from printing as 33.300000000000004.
double rounded(double value, int decimals) {
  // pow() was a tenth of the market fields' cost; these are the same values.
  static constexpr double kScales[] = {1, 10, 100, 1000, 1e4, 1e5, 1e6};
  const double scale = decimals >= 0 && decimals < static_cast<int>(std::size(kScales))
                           ? kScales[decimals]
                           : std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

void EnrichTally::add(const EnrichTally& other) {
  in += other.in;
  enriched += other.enriched;
  rejected += other.rejected;
  warnings += other.warnings;
  for (const auto& [code, n] : other.warnings_by_code) warnings_by_code[code] += n;
  for (const auto& [code, n] : other.rejected_by_code) rejected_by_code[code] += n;
  for (const auto& [grade, n] : other.grades) grades[grade] += n;
  market_listings += other.market_listings;
  market_with_median += other.market_with_median;
  market_priced += other.market_priced;
  images_checked += other.images_checked;
  images_normalised += other.images_normalised;
  images_refused += other.images_refused;
  without_place += other.without_place;
  geocode_misses += other.geocode_misses;
  for (const auto& [key, n] : other.geocoded) geocoded[key] += n;
  for (const auto& [key, n] : other.regions) regions[key] += n;
  for (const auto& [key, n] : other.countries) countries[key] += n;
  for (const auto& [key, n] : other.fields_filled) fields_filled[key] += n;
}

void keep_best_deals(std::vector<DealCandidate>& deals, std::size_t limit) {
  if (deals.size() <= limit) {
    std::sort(deals.begin(), deals.end());
    return;
  }
  std::partial_sort(deals.begin(), deals.begin() + static_cast<std::ptrdiff_t>(limit), deals.end());
  deals.resize(limit);
}

RecordEnricher::RecordEnricher(const TypeConfig& config, const MarketIndex* market,
                               const PlaceBook* places)
    : config_(config),
      market_(config.market.enabled ? market : nullptr),
      places_(config.location.enabled ? places : nullptr),
      planner_(config) {}

void RecordEnricher::enrich(EnrichBatch& batch, const PositionTable<RecordPlan>* plans) {
  // The block's records with their new fields: room for all at once, as
  // growing the string by doubling copied the block's output once more
  // (a vehicle's line grows by about 60 %).
  batch.enriched.reserve(2 * batch.input_bytes());
  constexpr std::size_t kPrefetchAhead = 8;
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const io::RawRecord& raw = batch.records[i];
    if (market_) market_->prefetch(raw.index + kPrefetchAhead);
    const RecordPlan* plan = plans && raw.index < plans->size() && (*plans)[raw.index].splice
                                 ? &(*plans)[raw.index]
                                 : nullptr;
    enrich_one(raw, i, plan, batch);
  }
  settle_deals(batch);
  flush_counts(batch);
}

void RecordEnricher::reject(const io::RawRecord& raw, std::string_view code,
                            std::string_view message, EnrichBatch& batch) {
  ++batch.tally.rejected;
  ++batch.tally.rejected_by_code[std::string(code)];
  line_.clear();
  io::JsonWriter json(line_);
  json.begin_object();
  json.field("line", raw.line);
  json.field("offset", raw.offset);
  json.key("error");
  json.begin_object();
  json.field("code", code);
  json.field("message", message);
  json.end_object();
  json.field("text", utf8::sanitize(raw.bytes));
  json.end_object();
  batch.errors += line_;
  batch.errors += '\n';
}

void RecordEnricher::enrich_one(const io::RawRecord& raw, std::size_t record_in_batch,
                                const RecordPlan* spliced, EnrichBatch& batch) {
  ++batch.tally.in;
  warnings_.clear();
  extra_.clear();
  image_rewrites_.clear();
  object record;
  RecordPlan plan;
  bool rebuild = false;
  if (spliced) {
    plan = *spliced;
  } else {
    // Not planned, or planned to be rebuilt: parse it (again).
    if (raw.too_large) {
      return reject(raw, "too_large",
                    fmt::format("record of {} bytes is larger than --max-record-bytes", raw.size),
                    batch);
    }
    element root;
    if (auto error = parser_.parse(raw.bytes.data(), raw.bytes.size(), false).get(root)) {
      return reject(raw, "invalid_json", simdjson::error_message(error), batch);
    }
    if (root.get(record))
      return reject(raw, "not_an_object", "a record must be a JSON object", batch);
    plan = planner_.plan(RecordFields(record));
  }
  add_grade(plan.grade);
  add_location(plan, raw.index, batch);
  if (spliced) {
    batch.tally.images_checked += plan.images_checked;
  } else {
    rebuild = check_images(record, batch) || plan.has_owned_field;
  }
  add_market(raw.index, record_in_batch);
  add_warnings(batch);
  write_record(record, rebuild, raw.bytes, plan, batch);
  ++batch.tally.enriched;
}

void RecordEnricher::add_grade(std::string_view grade) {
  if (grade.empty()) return;
  auto counted = std::find_if(grade_counts_.begin(), grade_counts_.end(), [&](const auto& count) {
    return count.first.data() == grade.data() && count.first.size() == grade.size();
  });
  if (counted == grade_counts_.end()) {
    grade_counts_.emplace_back(grade, 1);
  } else {
    ++counted->second;
  }
  io::JsonWriter json(extra_);
  json.resume_object(true);
  json.field(config_.grade.field(), grade);
}

RecordEnricher::LocationPiece RecordEnricher::make_location_piece(const PlaceBook::Entry& entry,
                                                                  const RecordPlan& plan) const {
  LocationPiece piece;
  const Place& place = entry.place;
  io::JsonWriter json(piece.members);
  json.resume_object(true);
  // What the address told, copied into the record's empty location fields.
  auto fill = [&](LocationField field, std::string_view value) {
    if (value.empty() || !plan.lacks(field)) return;
    piece.filled.push_back(kLocationFieldNames[field]);
    json.field(kLocationFieldNames[field], value);
  };
  if (config_.location.fill_fields) {
    fill(kLocationCity, place.city);
    fill(kLocationState, place.region);
    fill(kLocationPostcode, place.postcode);
    fill(kLocationCountry, place.country);
  }
  piece.country = place.country;
  if (place.country == "US") {
    const std::string_view region = us_census_region(place.region);
    if (!region.empty()) {
      piece.region = region;
      if (plan.lacks(kLocationRegion)) json.field(kLocationFieldNames[kLocationRegion], region);
    }
  } else if (place.country == "CA") {
    const std::string_view province = canadian_province_name(place.region);
    if (!province.empty()) {
      piece.region = province;
      if (plan.lacks(kLocationProvince)) {
        json.field(kLocationFieldNames[kLocationProvince], province);
      }
    }
  }
  const PlaceBook::Answer& answer = entry.answer;
  if (answer.point) {
    const GeoPoint& point = *answer.point;
    piece.geocoded = point.source + "/" + point.precision;
    json.key(kGeoField);
    json.begin_object();
    json.field("lat", rounded(point.lat, 5));  // about a metre
    json.field("lng", rounded(point.lng, 5));
    json.field("precision", point.precision);
    json.field("source", point.source);
    json.field("matched", point.matched);
    json.end_object();
  } else {
    piece.has_miss = true;
    piece.miss = {"geocode_miss", "locationCity",
                  fmt::format("no coordinates for \"{}\": {}", entry.query, answer.miss)};
  }
  return piece;
}

void RecordEnricher::add_location(const RecordPlan& plan, std::uint64_t position,
                                  EnrichBatch& batch) {
  if (!places_) return;
  const auto entry = places_->at(position);
  if (!entry) {
    ++batch.tally.without_place;
    return;
  }
  const std::uint64_t key = std::uint64_t{entry->id} << 8 | plan.absent;
  auto found = location_pieces_.find(key);
  if (found == location_pieces_.end()) {
    found = location_pieces_.emplace(key, make_location_piece(*entry, plan)).first;
  }
  LocationPiece& piece = found->second;
  if (piece.uses++ == 0) used_pieces_.push_back(&piece);
  extra_ += piece.members;
  if (piece.has_miss) warnings_.push_back(piece.miss);
}

void RecordEnricher::add_market(std::uint64_t position, std::size_t record_in_batch) {
  const MarketIndex::Listing* listing = market_ ? market_->listing_at(position) : nullptr;
  if (!listing) return;
  const MarketConfig& settings = config_.market;
  ++market_listings_;
  const Comparables found = market_->comparables_at(position);
  // Written straight into extra_ (comma-led members): this runs for every
  // listing, and a JsonWriter's comma bookkeeping for a fixed set of members
  // was a third of it.
  static_assert(kMarketField == "market");
  extra_ += ",\"market\":{\"comparables\":";
  io::append_json_number(extra_, std::uint64_t{found.count});
  extra_ += ",\"batchComparables\":";
  io::append_json_number(extra_, std::uint64_t{found.batch_count});
  extra_ += ",\"databaseComparables\":";
  io::append_json_number(extra_, std::uint64_t{found.database_count});
  extra_ += ",\"yearWindow\":";
  io::append_json_number(extra_, std::int64_t{settings.year_window});
  if (found.count >= settings.min_comparables) {
    ++market_with_median_;
    extra_ += ",\"median\":";
    io::append_json_number(extra_, rounded(found.median, 2));
    if (listing->has_price && found.median > 0) {
      ++market_priced_;
      const double percent = (listing->price - found.median) / found.median * 100;
      const double score =
          std::clamp(std::round(50 - settings.score_per_percent * percent), 0.0, 100.0);
      extra_ += ",\"priceVsMarket\":";
      io::append_json_number(extra_, rounded(percent, 1));
      extra_ += ",\"dealScore\":";
      io::append_json_number(extra_, static_cast<std::int64_t>(score));
      if (-percent > settings.max_discount_percent) {
        warnings_.push_back(
            {"price_far_below_market", "price",
             fmt::format(FMT_COMPILE("price {} is {:.1f}% below the median {} of {} comparable "
                                     "listings: a typo, a parts car or a scam?"),
                         listing->price, -percent, found.median, found.count)});
      } else if (settings.top_deals > 0) {
        PendingDeal pending;
        pending.deal.price_vs_market = percent;
        pending.deal.position = position;
        pending.record = record_in_batch;
        pending.score = static_cast<std::int64_t>(score);
        pending.price = listing->price;
        pending.median = found.median;
        pending.comparables = found.count;
        pending_deals_.push_back(std::move(pending));
      }
    }
  }
  extra_ += '}';
}

void RecordEnricher::add_warnings(EnrichBatch& batch) {
  if (warnings_.empty()) return;
  ++batch.tally.warnings;
  io::JsonWriter json(extra_);
  json.resume_object(true);
  json.key(kWarningsField);
  json.begin_array();
  for (const Warning& w : warnings_) {
    ++batch.tally.warnings_by_code[w.code];
    json.begin_object();
    json.field("code", w.code);
    json.field("field", w.field);
    json.field("message", w.message);
    json.end_object();
  }
  json.end_array();
}

void RecordEnricher::settle_deals(EnrichBatch& batch) {
  const std::size_t limit = config_.market.top_deals;
  auto better = [](const PendingDeal& a, const PendingDeal& b) { return a.deal < b.deal; };
  if (pending_deals_.size() > limit) {
    std::partial_sort(pending_deals_.begin(),
                      pending_deals_.begin() + static_cast<std::ptrdiff_t>(limit),
                      pending_deals_.end(), better);
    pending_deals_.resize(limit);
  }
  for (PendingDeal& pending : pending_deals_) {
    write_deal(pending, batch.records[pending.record], pending.deal.json);
    batch.deals.push_back(std::move(pending.deal));
  }
  pending_deals_.clear();
  keep_best_deals(batch.deals, limit);
}

void RecordEnricher::write_deal(const PendingDeal& pending, const io::RawRecord& raw,
                                std::string& out) {
  // A deal is a record that parsed before; its image fields are checked
  // again so the entry shows them as the enriched record has them.
  object record;
  element root;
  if (parser_.parse(raw.bytes.data(), raw.bytes.size(), false).get(root) || root.get(record)) {
    return;
  }
  EnrichBatch scratch;
  image_rewrites_.clear();
  check_images(record, scratch);
  io::JsonWriter entry(out);
  entry.begin_object();
  entry.field("index", raw.index);  // from 0 in deduped.jsonl, as dedup's "cluster"
  entry.field("dealScore", pending.score);
  entry.field("priceVsMarket", rounded(pending.deal.price_vs_market, 1));
  entry.field("price", pending.price);
  entry.field("median", rounded(pending.median, 2));
  entry.field("comparables", std::uint64_t{pending.comparables});
  for (const char* field : {"make", "model", "year", "listing_key", "sourceName", "sourceUrl",
                            "imageUrl", "locationCity", "locationState"}) {
    element value;
    if (record[field].get(value)) continue;
    auto rewrite = find_rewrite(field);
    if (rewrite && rewrite->empty()) continue;  // a refused image URL
    entry.key(field);
    if (rewrite) {
      entry.raw(*rewrite);
    } else {
      entry.value(value);
    }
  }
  entry.end_object();
}

void RecordEnricher::flush_counts(EnrichBatch& batch) {
  EnrichTally& tally = batch.tally;
  for (const auto& [grade, n] : grade_counts_) tally.grades[std::string(grade)] += n;
  grade_counts_.clear();
  for (LocationPiece* piece : used_pieces_) {
    const std::uint64_t n = piece->uses;
    piece->uses = 0;
    for (std::string_view field : piece->filled) tally.fields_filled[std::string(field)] += n;
    if (!piece->country.empty()) tally.countries[piece->country] += n;
    if (!piece->region.empty()) tally.regions[piece->region] += n;
    if (piece->has_miss) {
      tally.geocode_misses += n;
    } else {
      tally.geocoded[piece->geocoded] += n;
    }
  }
  used_pieces_.clear();
  tally.market_listings += market_listings_;
  tally.market_with_median += market_with_median_;
  tally.market_priced += market_priced_;
  market_listings_ = market_with_median_ = market_priced_ = 0;
}

bool RecordEnricher::check_images(object record, EnrichBatch& batch) {
  bool rewrite = false;
  for (const std::string& field : config_.images.fields) {
    element value;
    if (record[field].get(value) || value.is_null()) continue;
    auto check_one = [&](std::string_view url, std::string& replacement, bool& changed) {
      ++batch.tally.images_checked;
      ImageUrlCheck checked = check_image_url(url);
      if (!checked.error.empty()) {
        ++batch.tally.images_refused;
        // The value moves into the warning, so nothing is lost, except a
        // password in it, which is kept nowhere.
        const std::string kept_value = utf8::sanitize(without_credentials(url.substr(0, 4096)));
        warnings_.push_back(
            {checked.error, field,
             fmt::format("{}; removed from the record, was: {}", checked.message, kept_value)});
        changed = true;
        return false;
      }
      if (checked.url != url) {
        ++batch.tally.images_normalised;
        changed = true;
      }
      replacement = std::move(checked.url);
      return true;
    };
    std::string_view url;
    simdjson::dom::array urls;
    if (!value.get(url)) {
      std::string replacement;
      bool changed = false;
      const bool kept = check_one(url, replacement, changed);
      if (changed) {
        std::string json;
        if (kept) io::JsonWriter(json).value(replacement);
        image_rewrites_.emplace_back(field, std::move(json));
        rewrite = true;
      }
    } else if (!value.get(urls)) {
      std::string json;
      io::JsonWriter writer(json);
      writer.begin_array();
      bool changed = false;
      for (element item : urls) {
        std::string_view text;
        std::string replacement;
        if (item.get(text)) {
          writer.value(item);  // not a URL string: left for the schema to judge
          continue;
        }
        if (check_one(text, replacement, changed)) writer.value(replacement);
      }
      writer.end_array();
      if (changed) {
        image_rewrites_.emplace_back(field, std::move(json));
        rewrite = true;
      }
    } else {
      warnings_.push_back({"image_url_not_a_string", field,
                           "an image URL must be a string or an array of strings"});
    }
  }
  return rewrite;
}

const std::string* RecordEnricher::find_rewrite(std::string_view field) const {
  for (const auto& [name, json] : image_rewrites_) {
    if (name == field) return &json;
  }
  return nullptr;
}

void RecordEnricher::append_members(std::string& out, bool after_members) const {
  if (extra_.empty()) return;
  out.append(after_members ? std::string_view(extra_) : std::string_view(extra_).substr(1));
}

void RecordEnricher::write_record(object record, bool rebuild, std::string_view text,
                                  const RecordPlan& plan, EnrichBatch& batch) {
  std::string& out = batch.enriched;
  if (!rebuild && !text.empty() && text.back() == '}') {
    // The common case: splice the new fields in before the closing brace.
    out.append(text.substr(0, text.size() - 1));
    append_members(out, plan.has_members);
    out += "}\n";
    return;
  }
  io::JsonWriter json(out);
  json.begin_object();
  bool members = false;
  for (auto [key, value] : record) {
    if (planner_.is_owned_field(key)) continue;
    if (const std::string* rewrite = find_rewrite(key)) {
      if (rewrite->empty()) continue;  // refused: the warning holds the value
      json.key(key);
      json.raw(*rewrite);
    } else {
      json.key(key);
      json.value(value);
    }
    members = true;
  }
  append_members(out, members);
  out += "}\n";
}

}  // namespace haul::enrich
