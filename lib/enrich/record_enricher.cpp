#include "enrich/record_enricher.hpp"

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
  const double scale = std::pow(10.0, decimals);
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
      places_(config.location.enabled ? places : nullptr) {}

void RecordEnricher::enrich(EnrichBatch& batch) {
  for (const io::RawRecord& raw : batch.records) enrich_one(raw, batch);
  keep_best_deals(batch.deals, config_.market.top_deals);
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

bool RecordEnricher::is_owned_field(std::string_view key) const {
  return key == kGeoField || key == kMarketField || key == kWarningsField ||
         (config_.grade.enabled() && key == config_.grade.field());
}

void RecordEnricher::enrich_one(const io::RawRecord& raw, EnrichBatch& batch) {
  ++batch.tally.in;
  if (raw.too_large) {
    return reject(raw, "too_large",
                  fmt::format("record of {} bytes is larger than --max-record-bytes", raw.size),
                  batch);
  }
  element root;
  if (auto error = parser_.parse(raw.bytes.data(), raw.bytes.size(), false).get(root)) {
    return reject(raw, "invalid_json", simdjson::error_message(error), batch);
  }
  object record;
  if (root.get(record))
    return reject(raw, "not_an_object", "a record must be a JSON object", batch);

  warnings_.clear();
  extra_.clear();
  image_rewrites_.clear();
  add_grade(record, batch);
  add_location(record, raw, batch);
  bool rebuild = check_images(record, batch);
  add_market(record, raw, batch);
  if (!warnings_.empty()) {
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
  for (auto [key, value] : record) rebuild = rebuild || is_owned_field(key);
  write_record(record, raw.bytes, rebuild, batch);
  ++batch.tally.enriched;
}

void RecordEnricher::add_grade(object record, EnrichBatch& batch) {
  if (!config_.grade.enabled()) return;
  const std::string_view grade = config_.grade.grade(record);
  if (grade.empty()) return;
  ++batch.tally.grades[std::string(grade)];
  io::JsonWriter json(extra_);
  json.resume_object(true);
  json.field(config_.grade.field(), grade);
}

void RecordEnricher::add_location(object record, const io::RawRecord& raw, EnrichBatch& batch) {
  if (!places_) return;
  const auto entry = places_->at(raw.index);
  if (!entry) {
    ++batch.tally.without_place;
    return;
  }
  const Place& place = entry->place;
  io::JsonWriter json(extra_);
  json.resume_object(true);
  auto absent = [&](std::string_view field) {
    element value;
    return record[field].get(value) || value.is_null();
  };
  // What the address told, copied into the record's empty location fields.
  auto fill = [&](std::string_view field, std::string_view value) {
    if (value.empty() || !absent(field)) return;
    ++batch.tally.fields_filled[std::string(field)];
    json.field(field, value);
  };
  if (config_.location.fill_fields) {
    fill("locationCity", place.city);
    fill("locationState", place.region);
    fill("locationPostcode", place.postcode);
    fill("locationCountry", place.country);
  }
  if (!place.country.empty()) ++batch.tally.countries[place.country];
  if (place.country == "US") {
    const std::string_view region = us_census_region(place.region);
    if (!region.empty()) {
      ++batch.tally.regions[std::string(region)];
      if (absent("locationRegion")) json.field("locationRegion", region);
    }
  } else if (place.country == "CA") {
    const std::string_view province = canadian_province_name(place.region);
    if (!province.empty()) {
      ++batch.tally.regions[std::string(province)];
      if (absent("locationProvince")) json.field("locationProvince", province);
    }
  }
  const PlaceBook::Answer& answer = entry->answer;
  if (answer.point) {
    const GeoPoint& point = *answer.point;
    ++batch.tally.geocoded[point.source + "/" + point.precision];
    json.key(kGeoField);
    json.begin_object();
    json.field("lat", rounded(point.lat, 5));  // about a metre
    json.field("lng", rounded(point.lng, 5));
    json.field("precision", point.precision);
    json.field("source", point.source);
    json.field("matched", point.matched);
    json.end_object();
  } else {
    ++batch.tally.geocode_misses;
    warnings_.push_back({"geocode_miss", "locationCity",
                         fmt::format("no coordinates for \"{}\": {}", entry->query, answer.miss)});
  }
}

void RecordEnricher::add_market(object record, const io::RawRecord& raw, EnrichBatch& batch) {
  const MarketIndex::Listing* listing = market_ ? market_->listing_at(raw.index) : nullptr;
  if (!listing) return;
  const MarketConfig& settings = config_.market;
  ++batch.tally.market_listings;
  const Comparables found = market_->comparables_at(raw.index);
  io::JsonWriter json(extra_);
  json.resume_object(true);
  json.key(kMarketField);
  json.begin_object();
  json.field("comparables", std::uint64_t{found.count});
  json.field("batchComparables", std::uint64_t{found.batch_count});
  json.field("databaseComparables", std::uint64_t{found.database_count});
  json.field("yearWindow", settings.year_window);
  if (found.count >= settings.min_comparables) {
    ++batch.tally.market_with_median;
    json.field("median", rounded(found.median, 2));
    if (listing->has_price && found.median > 0) {
      ++batch.tally.market_priced;
      const double percent = (listing->price - found.median) / found.median * 100;
      const double score =
          std::clamp(std::round(50 - settings.score_per_percent * percent), 0.0, 100.0);
      json.field("priceVsMarket", rounded(percent, 1));
      json.field("dealScore", static_cast<std::int64_t>(score));
      if (-percent > settings.max_discount_percent) {
        warnings_.push_back({"price_far_below_market", "price",
                             fmt::format("price {} is {:.1f}% below the median {} of {} "
                                         "comparable listings: a typo, a parts car or a scam?",
                                         listing->price, -percent, found.median, found.count)});
      } else if (settings.top_deals > 0) {
        DealCandidate deal;
        deal.price_vs_market = percent;
        deal.position = raw.index;
        io::JsonWriter entry(deal.json);
        entry.begin_object();
        entry.field("index", raw.index);  // from 0 in deduped.jsonl, as dedup's "cluster"
        entry.field("dealScore", static_cast<std::int64_t>(score));
        entry.field("priceVsMarket", rounded(percent, 1));
        entry.field("price", listing->price);
        entry.field("median", rounded(found.median, 2));
        entry.field("comparables", std::uint64_t{found.count});
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
        batch.deals.push_back(std::move(deal));
      }
    }
  }
  json.end_object();
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

void RecordEnricher::write_record(object record, std::string_view text, bool rebuild,
                                  EnrichBatch& batch) {
  std::string& out = batch.enriched;
  if (!rebuild && !text.empty() && text.back() == '}') {
    // The common case: splice the new fields in before the closing brace.
    out.append(text.substr(0, text.size() - 1));
    append_members(out, record.size() > 0);
    out += "}\n";
    return;
  }
  io::JsonWriter json(out);
  json.begin_object();
  bool members = false;
  for (auto [key, value] : record) {
    if (is_owned_field(key)) continue;
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
