// bench_gen_vehicles N SEED [--valid] > vehicles.jsonl
//
// Writes N synthetic vehicle listings as NDJSON for the validate benchmark.
// The records look like what the scrapers hand to haul-validate: the field
// names of the original pipeline's Zod `vehicleSchema`, price as a digit
// string, descriptions with real-world length spread and some non-ASCII, and
// about 7% invalid records, broken in the ways scraped data is broken
// (--valid: none, for benchmarks of the stages after validation).
//
// Output is a pure function of (N, SEED): the PRNG and every distribution
// are implemented here, because std:: distributions differ between standard
// libraries and a benchmark input must be reproducible anywhere.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "generator_args.hpp"
#include "vehicle_corpus.hpp"

namespace {

using namespace bench;

struct Source {
  const char* name;
  const char* listing_prefix;  // the listing id is appended
  const char* image_host;
  const char* stock_prefix;
};
const std::vector<Source> kSources = {
    {"Hemmings", "https://www.hemmings.com/classifieds/listing/", "images.hemmings.com", "HM"},
    {"ClassicCars.com", "https://classiccars.com/listings/view/", "photos.classiccars.com", "CC"},
    {"Bring a Trailer", "https://bringatrailer.com/listing/",
     "bringatrailer.com/wp-content/uploads", "BAT"},
    {"Cars & Bids", "https://carsandbids.com/auctions/", "media.carsandbids.com", "CAB"},
    {"Hagerty Marketplace", "https://www.hagerty.com/marketplace/auction/", "cdn.hagerty.com",
     "HAG"},
    {"Gateway Classic Cars", "https://www.gatewayclassiccars.com/vehicles/",
     "cdn.gatewayclassiccars.com", "GCC"},
    {"Streetside Classics", "https://www.streetsideclassics.com/vehicles/",
     "cdn.streetsideclassics.com", "SSC"},
    {"eBay Motors", "https://www.ebay.com/itm/", "i.ebayimg.com/images", "EB"},
};

// "25998", "25990", "26500.00": asking prices, as the digit strings the
// original schema's /^\d+(\.\d{2})?$/ expects. Log-uniform 2,500–450,000.
std::string price(Rng& rng) {
  const double lo = 7.824, hi = 13.017;  // ln(2500), ln(450000)
  auto dollars = static_cast<int64_t>(std::exp(lo + (hi - lo) * rng.unit()));
  const double style = rng.unit();
  if (style < 0.4)
    dollars = dollars / 1000 * 1000 + (rng.chance(0.5) ? 0 : 500);
  else if (style < 0.7)
    dollars = dollars / 100 * 100 - (rng.chance(0.5) ? 2 : 1);
  std::string s = std::to_string(dollars);
  if (rng.chance(0.35)) s += ".00";
  return s;
}

enum class Defect {
  None,
  MissingMake,
  Year1899,
  Year2031,
  Price500,
  PriceHuge,
  BadSourceUrl,
  ConditionUsed,
  StateOntario,
  LongDescription,
  kCount
};

std::string record(Rng& rng, uint64_t index, bool valid_only) {
  Defect defect = Defect::None;
  if (rng.chance(0.07) && !valid_only) {
    defect = static_cast<Defect>(rng.between(1, static_cast<int64_t>(Defect::kCount) - 1));
  }
  const Make& make = rng.pick(kMakes);
  const char* model = rng.pick(make.models);
  int64_t year = rng.between(1950, 2026);
  if (defect == Defect::Year1899) year = 1899;
  if (defect == Defect::Year2031) year = 2031;
  const Source& src = rng.pick(kSources);
  const Place& place = rng.pick(kPlaces);
  // Listing ids as sites use them: large, unique per record, not sequential.
  const uint64_t listing_id =
      100000 + (index * 7919 + static_cast<uint64_t>(rng.between(0, 7918))) % 90000000;

  std::string r;
  r.reserve(768);
  r += '{';
  if (defect != Defect::MissingMake) add_string(r, "make", make.name);
  add_string(r, "model", model);
  add_number(r, "year", year);
  if (defect == Defect::Price500)
    add_string(r, "price", "500");
  else if (defect == Defect::PriceHuge)
    add_string(r, "price", "99999999");
  else if (rng.chance(0.96))
    add_string(r, "price", price(rng));
  // Collector cars are driven little: mostly under 100k, a few odometers rolled over.
  add_number(r, "mileage", year >= 2015 ? rng.between(200, 60000) : rng.between(1500, 180000));
  if (defect == Defect::LongDescription) {
    add_string(
        r, "description",
        description(rng, year, make.name, model, static_cast<size_t>(rng.between(5100, 5600))));
  } else if (rng.chance(0.97)) {
    add_string(r, "description", description(rng, year, make.name, model, description_length(rng)));
  }
  if (rng.chance(0.95)) {
    r += "\"imageUrl\":\"https://";
    r += src.image_host;
    r += "/photos/" + std::to_string(listing_id) + "/" + std::to_string(rng.between(1, 24)) +
         ".jpg\",";
  }
  add_string(r, "locationCity", place.city);
  add_string(r, "locationState", defect == Defect::StateOntario ? "Ontario" : place.state);
  add_string(r, "condition", defect == Defect::ConditionUsed ? "Used" : rng.pick(kConditions));
  if (rng.chance(0.9)) add_string(r, "category", rng.pick(kCategories));
  add_string(r, "sourceName", src.name);
  if (defect == Defect::BadSourceUrl)
    add_string(r, "sourceUrl", "not a url");
  else
    add_string(r, "sourceUrl", std::string(src.listing_prefix) + std::to_string(listing_id));
  if (rng.chance(0.85)) {
    add_string(r, "stockNumber",
               std::string(src.stock_prefix) + "-" + std::to_string(rng.between(1000, 999999)));
  }
  r.back() = '}';  // replaces the last field's trailing comma
  r += '\n';
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const bool valid_only = argc == 4 && std::strcmp(argv[3], "--valid") == 0;
  if (argc != 3 && !valid_only) {
    std::fprintf(stderr, "usage: %s N SEED [--valid] > vehicles.jsonl\n", argv[0]);
    return 64;
  }
  unsigned long long n = 0, seed = 0;
  if (!bench::parse_count(argv[1], "N", false, n) ||
      !bench::parse_count(argv[2], "SEED", false, seed)) {
    return 64;
  }

  Rng rng(seed);
  std::string buffer;
  buffer.reserve(1 << 20);
  for (unsigned long long i = 0; i < n; ++i) {
    buffer += record(rng, i, valid_only);
    if (buffer.size() >= (1 << 20) - 8192) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size()) return 74;
      buffer.clear();
    }
  }
  if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size() ||
      std::fflush(stdout) != 0) {
    std::perror("write");
    return 74;
  }
  return 0;
}
