// bench_gen_dedup_vehicles N SEED OUT_DIR [DAY] > summary.json
//
// Without DAY (bench/dedup.sh):
// Writes N raw vehicle records with known duplicates for the dedup benchmark,
// as a dealer's scraper and an aggregator's would deliver them:
//   OUT_DIR/demo-dealer_NNN.jsonl   the dealer's own field names (title_make,
//                                   asking, odometer, link, ...), mapped by
//                                   config/sources.json
//   OUT_DIR/autolist-us_NNN.jsonl   an aggregator: canonical names, no
//                                   sourceName (the mapping sets it), and no
//                                   sourceUrl when the car has a VIN (the
//                                   mapping derives the #vin= URL)
// Every record carries its truth in `_meta` (haul-validate keeps a scraper's
// _meta keys, haul-dedup copies records verbatim):
//   {"truth": "car-0000042", "truth_kind": "...", "scraped_at": "..."}
// where truth names the car, and truth_kind is how the record came about:
//   original   a car's first listing (about 77% of the records, of which ~6%
//              are "sibling": a different car of the same make, model and
//              year on the same lot, priced within 4% — the hard negatives)
//   exact      ~10%: an earlier record scraped again, unchanged
//   near       ~7%: the same car relisted by the same source: a typo in the
//              model, price within ~2%, a few more miles, usually a new URL
//              and stock number, sometimes "Price reduced" in the text
//   cross      ~6%: the aggregator re-publishing a dealer listing: its own
//              URL, model re-cased, price +/-1-2%, same mileage, the VIN kept
//              when the dealer had one, description copied or cut short
// Make/model/year repeat across many distinct cars (a few hundred models,
// mostly recent years), so "same model and year" alone must not merge.
// About 0.3% of the records are invalid (price "500"), so haul-validate
// rejects a few; none of those is the source of a duplicate.
//
// stdout: a JSON summary (records per kind and per file). Output is a pure
// function of (N, SEED). With DAY, one day of a market over days instead
// (bench/pipeline.sh; see MarketDay below).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "generator_args.hpp"
#include "vehicle_corpus.hpp"

namespace {

using bench::Rng;
using namespace bench;

enum class Kind : uint8_t { kOriginal, kSibling, kExact, kNear, kCross };
const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kOriginal:
      return "original";
    case Kind::kSibling:
      return "sibling";
    case Kind::kExact:
      return "exact";
    case Kind::kNear:
      return "near";
    case Kind::kCross:
      return "cross";
  }
  return "?";
}

// One listing as a source publishes it; a record is a listing rendered.
struct Listing {
  uint32_t car = 0;
  Kind kind = Kind::kOriginal;
  bool aggregator = false;
  bool invalid = false;
  uint16_t make = 0, model = 0, place = 0;
  uint8_t condition = 0, category = 0xFF;  // 0xFF: absent
  uint8_t price_style = 0;                 // dealer: "$25,998", "25998" or 25998
  uint8_t description_form = 0;            // 0 as written, 1 + "Price reduced", 2 cut, 3 absent
  int16_t year = 2000;
  std::string model_text;  // as written: may carry a typo or other case
  int64_t price = 0, mileage = 0;
  std::string vin;    // empty: none
  std::string stock;  // empty: none
  uint64_t listing_id = 0;
  uint64_t description_seed = 0;
  uint32_t scraped_minute = 0;  // minutes after 2026-01-10T00:00Z
};

constexpr const char* kVinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";  // no I, O, Q

// Unique per car: 8 random characters, then the car number in base 33.
std::string make_vin(Rng& rng, uint32_t car) {
  std::string vin;
  for (int i = 0; i < 8; ++i) vin += kVinAlphabet[rng.between(0, 32)];
  std::string tail;
  for (uint64_t v = car; tail.size() < 9; v /= 33) tail += kVinAlphabet[v % 33];
  return vin + tail;
}

int64_t round_to(int64_t value, int64_t step) { return (value + step / 2) / step * step; }

// Asking prices: recent cars 6,000-95,000, classics 4,000-250,000, log-uniform.
int64_t asking_price(Rng& rng, int year) {
  const double lo = year >= 2008 ? 8.70 : 8.29, hi = year >= 2008 ? 11.46 : 12.43;
  const auto dollars = static_cast<int64_t>(std::exp(lo + (hi - lo) * rng.unit()));
  return rng.chance(0.5) ? round_to(dollars, 1000) - (rng.chance(0.5) ? 2 : 0)
                         : round_to(dollars, 10);
}

std::string with_thousands(int64_t value) {
  std::string digits = std::to_string(value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// One typo in a model name: letters swapped, dropped or doubled.
std::string typo(Rng& rng, std::string model) {
  std::vector<size_t> letters;
  for (size_t i = 0; i + 1 < model.size(); ++i) {
    const auto c = static_cast<unsigned char>(model[i]),
               d = static_cast<unsigned char>(model[i + 1]);
    if (std::isalpha(c) && std::isalpha(d)) letters.push_back(i);
  }
  if (letters.empty()) return model + "-";
  const size_t at =
      letters[static_cast<size_t>(rng.between(0, static_cast<int64_t>(letters.size()) - 1))];
  switch (rng.between(0, 2)) {
    case 0:
      std::swap(model[at], model[at + 1]);
      break;
    case 1:
      model.erase(at + 1, 1);
      break;
    default:
      model.insert(at, 1, model[at]);
  }
  return model;
}

std::string recased(Rng& rng, std::string text) {
  const bool upper = rng.chance(0.65);
  for (char& c : text) {
    if (c >= 'a' && c <= 'z' && upper) c = static_cast<char>(c - 32);
    if (c >= 'A' && c <= 'Z' && !upper) c = static_cast<char>(c + 32);
  }
  return text;
}

class Generator {
 public:
  explicit Generator(uint64_t seed, uint32_t first_car = 0) : rng_(seed), next_car_(first_car) {}

  Listing next() {
    const double u = rng_.unit();
    Listing l;
    if (u < 0.10 && !listings_.empty()) {
      l = listings_[pick(listings_.size())];
      l.kind = Kind::kExact;
      l.scraped_minute += static_cast<uint32_t>(rng_.between(60, 4 * 1440));
    } else if (u < 0.17 && !pickable_.empty()) {
      l = near_duplicate(listings_[pickable_[pick(pickable_.size())]]);
    } else if (u < 0.23 && !dealer_originals_.empty()) {
      l = cross_copy(listings_[dealer_originals_[pick(dealer_originals_.size())]]);
    } else if (u < 0.23 + 0.77 * 0.06 && !pickable_.empty()) {
      l = sibling(listings_[pickable_[pick(pickable_.size())]]);
    } else {
      l = original();
    }
    const auto index = static_cast<uint32_t>(listings_.size());
    if ((l.kind == Kind::kOriginal || l.kind == Kind::kSibling) && !l.invalid) {
      pickable_.push_back(index);
      if (!l.aggregator) dealer_originals_.push_back(index);
    }
    listings_.push_back(l);
    return l;
  }

  // The building blocks, public for the day mode (MarketDay), which keeps no
  // history and derives each listing from its own seed.
  size_t pick(size_t size) {
    return static_cast<size_t>(rng_.between(0, static_cast<int64_t>(size) - 1));
  }

  Listing original() {
    Listing l;
    l.car = next_car_++;
    l.aggregator = rng_.chance(0.15);  // cars only the aggregator lists
    l.make = static_cast<uint16_t>(pick(kMakes.size()));
    l.model = static_cast<uint16_t>(pick(kMakes[l.make].models.size()));
    l.model_text = kMakes[l.make].models[l.model];
    l.year = static_cast<int16_t>(rng_.chance(0.55) ? rng_.between(2008, 2025)
                                                    : rng_.between(1950, 2007));
    l.place = static_cast<uint16_t>(pick(kPlaces.size()));
    l.condition = static_cast<uint8_t>(pick(kConditions.size()));
    if (rng_.chance(0.85)) l.category = static_cast<uint8_t>(pick(kCategories.size()));
    l.price_style = static_cast<uint8_t>(rng_.between(0, 2));
    l.price = asking_price(rng_, l.year);
    l.invalid = rng_.chance(0.003);
    l.mileage = l.year >= 2015 ? rng_.between(200, 60000) : rng_.between(1500, 180000);
    if (rng_.chance(l.year >= 1981 ? 0.6 : 0.08)) l.vin = make_vin(rng_, l.car);
    l.description_form = rng_.chance(0.96) ? 0 : 3;
    new_listing_ids(l);
    l.description_seed = rng_.next();
    l.scraped_minute = static_cast<uint32_t>(rng_.between(0, 3 * 1440));
    return l;
  }

  void new_listing_ids(Listing& l) {
    l.listing_id = static_cast<uint64_t>(rng_.between(10000000, 99999999));
    l.stock.clear();
    if (rng_.chance(l.aggregator ? 0.3 : 0.9))
      l.stock = std::string("DD").append(std::to_string(rng_.between(10000, 999999)));
  }

  // Another car of the same make, model and year on the same lot.
  Listing sibling(const Listing& of) {
    Listing l = original();
    l.kind = Kind::kSibling;
    l.aggregator = of.aggregator;
    l.make = of.make, l.model = of.model, l.year = of.year, l.place = of.place;
    l.model_text = of.model_text;
    l.price = round_to(
        static_cast<int64_t>(static_cast<double>(of.price) * (0.96 + 0.08 * rng_.unit())), 10);
    l.mileage = static_cast<int64_t>(static_cast<double>(of.mileage) * (0.6 + 0.8 * rng_.unit()));
    l.vin = of.vin.empty() ? "" : make_vin(rng_, l.car);
    new_listing_ids(l);
    return l;
  }

  // The same car relisted by the same source, days later.
  Listing near_duplicate(const Listing& of) {
    Listing l = of;
    l.kind = Kind::kNear;
    l.invalid = false;
    bool changed = false;
    if (rng_.chance(0.7)) new_listing_ids(l), changed = true;
    if (rng_.chance(0.35) && l.model_text.size() >= 4)
      l.model_text = typo(rng_, l.model_text), changed = true;
    if (rng_.chance(0.3) && l.description_form == 0) l.description_form = 1, changed = true;
    if (rng_.chance(0.5)) l.mileage += rng_.between(10, 400), changed = true;
    if (rng_.chance(0.7) || !changed) {
      const double factor = 0.98 + 0.03 * rng_.unit();  // mostly reduced
      int64_t price = round_to(static_cast<int64_t>(static_cast<double>(l.price) * factor), 10);
      l.price = price == l.price ? price - 10 : price;
    }
    l.scraped_minute += static_cast<uint32_t>(rng_.between(1440, 10 * 1440));
    return l;
  }

  // The aggregator's copy of a dealer listing.
  Listing cross_copy(const Listing& of) {
    Listing l = of;
    l.kind = Kind::kCross;
    l.aggregator = true;
    l.invalid = false;
    if (rng_.chance(0.6)) l.model_text = recased(rng_, l.model_text);
    if (rng_.chance(0.75)) {
      const double change = 0.01 + 0.01 * rng_.unit();
      l.price = round_to(static_cast<int64_t>(static_cast<double>(l.price) *
                                              (rng_.chance(0.5) ? 1 + change : 1 - change)),
                         10);
    }
    const double form = rng_.unit();
    l.description_form = of.description_form == 3 || form < 0.15 ? 3
                         : form < 0.4                            ? 2
                                                                 : of.description_form;
    l.listing_id =
        static_cast<uint64_t>(rng_.between(100000000, 999999999));  // the aggregator's id
    if (rng_.chance(0.5)) l.stock.clear();
    if (rng_.chance(0.3)) l.category = 0xFF;
    l.scraped_minute += static_cast<uint32_t>(rng_.between(30, 2 * 1440));
    return l;
  }

 private:
  Rng rng_;
  uint32_t next_car_ = 0;
  std::vector<Listing> listings_;
  std::vector<uint32_t> pickable_;          // valid originals and siblings
  std::vector<uint32_t> dealer_originals_;  // ... of the dealer
};

std::string description_of(const Listing& l) {
  Rng rng(l.description_seed);
  const Make& make = kMakes[l.make];
  std::string d =
      description(rng, l.year, make.name, make.models[l.model], description_length(rng));
  if (l.description_form == 1) d += " Price reduced — must go this week!";
  if (l.description_form == 2) {
    size_t bytes = 0;
    for (size_t cps = 0; bytes < d.size() && cps < 160; ++cps) {
      ++bytes;
      while (bytes < d.size() && (static_cast<unsigned char>(d[bytes]) & 0xC0) == 0x80) ++bytes;
    }
    if (bytes < d.size()) d = d.substr(0, bytes) + "…";
  }
  return d;
}

std::string timestamp(uint32_t minute) {
  char text[32];
  std::snprintf(text, sizeof text, "2026-01-%02uT%02u:%02u:00Z", 10 + minute / 1440,
                minute / 60 % 24, minute % 60);
  return text;
}

std::string render(const Listing& l) {
  const Make& make = kMakes[l.make];
  const Place& place = kPlaces[l.place];
  const bool dealer = !l.aggregator;
  std::string r = "{";
  add_string(r, dealer ? "title_make" : "make", make.name);
  add_string(r, dealer ? "title_model" : "model", l.model_text);
  add_number(r, "year", l.year);
  const int64_t price = l.invalid ? 500 : l.price;
  if (dealer && l.price_style == 0) {
    add_string(r, "asking", std::string("$").append(with_thousands(price)));
  } else if (dealer && l.price_style == 1) {
    add_string(r, "asking", std::to_string(price));
  } else {
    add_number(r, dealer ? "asking" : "price", price);
  }
  if (dealer && l.price_style == 0) {
    add_string(r, "odometer", with_thousands(l.mileage) + " miles");
  } else {
    add_number(r, dealer ? "odometer" : "mileage", l.mileage);
  }
  if (!l.vin.empty()) add_string(r, "vin", l.vin);
  if (l.description_form != 3) add_string(r, "description", description_of(l));
  add_string(r, dealer ? "photo" : "imageUrl",
             std::string(dealer ? "https://cdn.demo-dealer.example.com/photos/"
                                : "https://images.autolist.com/")
                 .append(std::to_string(l.listing_id))
                 .append("/1.jpg"));
  add_string(r, dealer ? "city" : "locationCity", place.city);
  add_string(r, dealer ? "state" : "locationState", place.state);
  add_string(r, "condition", kConditions[l.condition]);
  if (l.category != 0xFF) add_string(r, "category", kCategories[l.category]);
  if (dealer) {
    add_string(r, "link",
               std::string("https://www.demo-dealer.example.com/inventory/")
                   .append(std::to_string(l.listing_id)));
  } else if (l.vin.empty()) {
    add_string(
        r, "sourceUrl",
        std::string("https://www.autolist.com/listings/").append(std::to_string(l.listing_id)));
  }
  if (!l.stock.empty()) add_string(r, dealer ? "stock" : "stockNumber", l.stock);
  char meta[160];
  std::snprintf(meta, sizeof meta,
                "\"_meta\":{\"truth\":\"car-%07u\",\"truth_kind\":\"%s\",\"scraped_at\":\"%s\"}}\n",
                l.car, kind_name(l.kind), timestamp(l.scraped_minute).c_str());
  r += meta;
  return r;
}

// Raw files of one source, a new one every `per_file` records.
class SourceFiles {
 public:
  SourceFiles(std::filesystem::path dir, std::string source, uint64_t per_file)
      : dir_(std::move(dir)), source_(std::move(source)), per_file_(per_file) {}
  ~SourceFiles() { close(); }

  bool write(const std::string& line) {
    if (!file_ || in_file_ == per_file_) {
      if (!close()) return false;
      char name[64];
      std::snprintf(name, sizeof name, "%s_%03u.jsonl", source_.c_str(), ++files_);
      file_ = std::fopen((dir_ / name).c_str(), "w");
      if (!file_) return false;
      in_file_ = 0;
    }
    ++in_file_;
    ++records_;
    buffer_ += line;
    return buffer_.size() < (1u << 20) || flush();
  }
  bool close() {
    bool ok = flush();
    if (file_) ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    return ok;
  }
  uint64_t records() const { return records_; }
  unsigned files() const { return files_; }

 private:
  bool flush() {
    if (buffer_.empty()) return true;
    const bool ok =
        file_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    return ok;
  }
  std::filesystem::path dir_;
  std::string source_;
  uint64_t per_file_;
  std::FILE* file_ = nullptr;
  uint64_t in_file_ = 0, records_ = 0;
  unsigned files_ = 0;
  std::string buffer_;
};


// Day mode (bench/pipeline.sh): day DAY of a market that goes on from day to
// day, a pure function of (N, SEED, DAY) that keeps no state between days.
// Listing j (its car is car j) is derived from its own seed, so it renders the
// same every day it is on sale, except for what the market changes:
//   - on sale: day d lists the listings from (d-1)*R on, walked until N
//     records are written; R is 12% of a day's listings, so ~88% of a day's
//     listings were there the day before and each stays about 8 days;
//   - price changes: each day a listing's price drops 1-4% with chance 7%;
//   - relistings: 6% of listings are gone for 1-3 days (a gap starting on
//     day 2-7) and come back relisted (truth_kind "near": new URL and stock
//     number mostly, maybe a typo, price down): haul-dedup's rules inside a
//     day do not see it, the database's listing_key does when the VIN stays;
//   - aggregator copies: 15% of dealer listings are also on the aggregator
//     (truth_kind "cross", re-cased model, price +/-1-2%, text cut), every
//     day the dealer's is: what the Levenshtein rule catches;
//   - within-day exact repeats: 4% of the records are fetched twice
//     (truth_kind "exact", a later scraped_at).
// Stock numbers and listing ids are unique per listing (see unique_ids).
// scraped_at falls on 2026-01-(09+DAY), the logical date to run it under.
class MarketDay {
 public:
  MarketDay(uint64_t n, uint64_t seed, uint32_t day) : n_(n), seed_(seed), day_(day) {}

  // Calls emit(listing) for each of the day's records, N in all.
  template <typename Emit>
  bool write(Emit&& emit) {
    const auto per_day_new = std::max<uint64_t>(1, n_ * 12 / 117);  // 12% of ~N/1.17 listings
    uint64_t written = 0;
    for (uint64_t j = (day_ - 1) * per_day_new; written < n_; ++j) {
      ++listings_;
      Rng traits(mix(j, 0));
      const bool cross = traits.chance(0.15);
      const bool relisted = traits.chance(0.06);
      const auto gap_from = static_cast<uint32_t>(traits.between(2, 7));
      const auto gap_to = gap_from + static_cast<uint32_t>(traits.between(1, 3));
      if (relisted && day_ >= gap_from && day_ < gap_to) continue;  // gone for now
      Generator base(mix(j, 1), static_cast<uint32_t>(j));
      // All three drawn every day, so that each is the same on every day it shows.
      Listing first = base.original();
      Listing copy = base.cross_copy(first);
      Listing relist = base.near_duplicate(first);
      unique_ids(j, first, copy, relist);
      Listing l = relisted && day_ >= gap_to ? relist : first;
      const bool with_copy = cross && !l.aggregator && !l.invalid;
      for (uint32_t e = 2; e <= day_; ++e) {  // the price drops up to today
        Rng price(mix(j, 100 + e));
        if (!price.chance(0.07)) continue;
        const double factor = 0.96 + 0.03 * price.unit();
        for (Listing* x : {&l, &copy}) {
          x->price = round_to(static_cast<int64_t>(static_cast<double>(x->price) * factor), 10);
        }
      }
      Rng today(mix(j, 1000 + day_));
      for (Listing* x : {&l, &copy}) {
        if (x == &copy && !with_copy) break;
        x->scraped_minute =
            (day_ - 1) * 1440 + static_cast<uint32_t>(today.between(0, 1439 - 180));
        if (!emit(*x) || ++written == n_) return written == n_;
        if (today.chance(0.04)) {
          Listing again = *x;
          again.kind = Kind::kExact;
          again.scraped_minute += static_cast<uint32_t>(today.between(5, 180));
          if (!emit(again) || ++written == n_) return written == n_;
        }
      }
    }
    return true;
  }
  uint64_t listings() const { return listings_; }

 private:
  // Over a million listings, random stock numbers and listing ids collide (a
  // birthday problem): two cars of a source would share a listing_key in the
  // database. Derived from the listing's number instead, they never do; a
  // relisting that got new ones gets new unique ones.
  static void unique_ids(uint64_t j, Listing& first, Listing& copy, Listing& relist) {
    const bool new_ids = relist.listing_id != first.listing_id;
    first.listing_id = (first.aggregator ? 100000000 : 10000000) + j;
    if (!first.stock.empty()) first.stock = "DD" + std::to_string(1000000 + j);
    copy.listing_id = 100000000 + j;  // only dealer listings have copies
    if (!copy.stock.empty()) copy.stock = first.stock;
    const std::string stock = relist.stock;
    relist.listing_id = new_ids ? 50000000 + j : first.listing_id;
    relist.stock = !new_ids ? first.stock : stock.empty() ? "" : "DD" + std::to_string(50000000 + j);
  }

  uint64_t mix(uint64_t j, uint64_t salt) const {
    Rng rng(seed_ ^ (j * 0x9E3779B97F4A7C15ULL) ^ (salt << 40));
    return rng.next();
  }
  uint64_t n_, seed_;
  uint32_t day_;
  uint64_t listings_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: %s N SEED OUT_DIR [DAY] > summary.json\n", argv[0]);
    return 64;
  }
  unsigned long long n = 0, seed = 0, day = 0;
  if (!bench::parse_count(argv[1], "N", true, n) ||
      !bench::parse_count(argv[2], "SEED", false, seed) ||
      (argc == 5 && !bench::parse_count(argv[4], "DAY", true, day))) {
    return 64;
  }
  if (day > 20) {
    std::fprintf(stderr, "DAY must be 1-20 (scraped_at stays in January), got %llu\n", day);
    return 64;
  }
  const std::filesystem::path dir = argv[3];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "%s: %s\n", argv[3], ec.message().c_str());
    return 73;
  }
  SourceFiles dealer(dir, "demo-dealer", 250000), aggregator(dir, "autolist-us", 250000);
  std::map<std::string, uint64_t> kinds;
  uint64_t invalid = 0, cars = 0;
  const auto emit = [&](const Listing& l) {
    ++kinds[kind_name(l.kind)];
    invalid += l.invalid;
    cars = std::max<uint64_t>(cars, l.car + 1ull);
    return (l.aggregator ? aggregator : dealer).write(render(l));
  };
  bool ok = true;
  uint64_t listings = 0;
  if (day == 0) {
    Generator generator(seed);
    for (unsigned long long i = 0; i < n && ok; ++i) ok = emit(generator.next());
  } else {
    MarketDay market(n, seed, static_cast<uint32_t>(day));
    ok = market.write(emit);
    listings = market.listings();
  }
  if (!ok || !dealer.close() || !aggregator.close()) {
    std::perror(argv[3]);
    return 74;
  }
  std::printf("{\"records\":%llu,\"seed\":%llu,", n, seed);
  if (day != 0) {
    std::printf("\"day\":%llu,\"listings\":%llu,", day, static_cast<unsigned long long>(listings));
  }
  std::printf("\"cars\":%llu,\"invalid\":%llu,\"kinds\":{", static_cast<unsigned long long>(cars),
              static_cast<unsigned long long>(invalid));
  const char* separator = "";
  for (const auto& [kind, count] : kinds) {
    std::printf("%s\"%s\":%llu", separator, kind.c_str(), static_cast<unsigned long long>(count));
    separator = ",";
  }
  std::printf(
      "},\"demo-dealer\":{\"records\":%llu,\"files\":%u},\"autolist-us\":{\"records\":%llu,"
      "\"files\":%u}}\n",
      static_cast<unsigned long long>(dealer.records()), dealer.files(),
      static_cast<unsigned long long>(aggregator.records()), aggregator.files());
  return 0;
}
