// bench_gen_vehicles N SEED > vehicles.jsonl
//
// Writes N synthetic vehicle listings as NDJSON for the validate benchmark.
// The records look like what the scrapers hand to haul-validate: the field
// names of the original pipeline's Zod `vehicleSchema`, price as a digit
// string, descriptions with real-world length spread and some non-ASCII, and
// about 7% invalid records, broken in the ways scraped data is broken.
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

namespace {

// splitmix64: tiny, fast, statistically fine for test data, fully specified.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi]; the modulo bias (span / 2^64) is irrelevant for test data.
  int64_t between(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(next() % span);
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(between(0, static_cast<int64_t>(v.size()) - 1))];
  }

 private:
  uint64_t state_;
};

struct Make {
  const char* name;
  std::vector<const char*> models;
};

// Real makes and models, weighted towards what classic/collector listing
// sites carry (the original pipeline's categories are classic-car ones).
const std::vector<Make> kMakes = {
    {"Chevrolet",
     {"Camaro", "Corvette", "Chevelle", "Bel Air", "Nova", "Impala", "C10", "El Camino",
      "Silverado 1500"}},
    {"Ford",
     {"Mustang", "F-100", "Thunderbird", "Bronco", "Fairlane", "Galaxie 500", "Model A", "F-150",
      "GT"}},
    {"Dodge", {"Charger", "Challenger", "Dart", "Coronet", "Super Bee", "Power Wagon", "Viper"}},
    {"Plymouth", {"Barracuda", "Road Runner", "GTX", "Fury", "Duster", "Belvedere"}},
    {"Pontiac", {"GTO", "Firebird", "Trans Am", "Bonneville", "Catalina", "LeMans"}},
    {"Oldsmobile", {"442", "Cutlass Supreme", "Toronado", "Delta 88"}},
    {"Buick", {"Skylark", "Riviera", "GSX", "Grand National", "Electra 225"}},
    {"Cadillac", {"Eldorado", "DeVille", "Series 62", "Fleetwood", "Escalade"}},
    {"Lincoln", {"Continental", "Mark III", "Town Car"}},
    {"Mercury", {"Cougar", "Cyclone", "Marauder", "Monterey"}},
    {"AMC", {"Javelin", "AMX", "Rebel", "Gremlin"}},
    {"Chrysler", {"300", "New Yorker", "Imperial", "Newport"}},
    {"Jeep", {"CJ-5", "CJ-7", "Wagoneer", "Grand Wagoneer", "Wrangler", "Gladiator"}},
    {"GMC", {"Jimmy", "Sierra 1500", "Sprint", "Syclone"}},
    {"Shelby", {"GT350", "GT500", "Cobra"}},
    {"Porsche", {"911", "912", "356", "914", "928", "944", "Boxster", "Cayman"}},
    {"Ferrari", {"308 GTS", "328 GTB", "Testarossa", "F355", "Dino 246 GT", "360 Modena"}},
    {"Lamborghini", {"Countach", "Diablo", "Gallardo", "Murciélago"}},
    {"Maserati", {"Ghibli", "Bora", "Merak", "Quattroporte"}},
    {"Alfa Romeo", {"Spider", "GTV", "Giulia Sprint", "Montreal"}},
    {"Jaguar", {"E-Type", "XK120", "XK150", "XJ6", "XJS", "Mark 2"}},
    {"Aston Martin", {"DB5", "DB6", "V8 Vantage", "DB7", "DB9"}},
    {"Bentley", {"Continental GT", "Arnage", "Turbo R", "S2"}},
    {"Rolls-Royce", {"Silver Shadow", "Silver Cloud", "Corniche", "Phantom"}},
    {"Mercedes-Benz", {"280SL", "300SL", "190SL", "450SL", "560SL", "G-Class", "W123 300D"}},
    {"BMW", {"2002", "E30 M3", "3.0 CS", "507", "Z3", "M635CSi"}},
    {"Audi", {"Quattro", "TT", "R8", "S4"}},
    {"Volkswagen", {"Beetle", "Bus", "Karmann Ghia", "Thing", "Golf GTI"}},
    {"Toyota", {"Land Cruiser FJ40", "Supra", "2000GT", "Celica", "Pickup", "4Runner"}},
    {"Nissan", {"Skyline GT-R", "300ZX", "Patrol"}},
    {"Datsun", {"240Z", "260Z", "280Z", "510", "Fairlady Roadster"}},
    {"Honda", {"S2000", "NSX", "S600", "Civic CRX"}},
    {"Mazda", {"RX-7", "Cosmo", "MX-5 Miata"}},
    {"Lotus", {"Elan", "Esprit", "Europa", "Elise"}},
    {"MG", {"MGB", "MGA", "Midget", "TD"}},
    {"Triumph", {"TR6", "TR4", "Spitfire", "GT6"}},
    {"Austin-Healey", {"3000", "Sprite", "100-4"}},
    {"Land Rover", {"Defender 110", "Series IIA", "Range Rover Classic"}},
    {"Volvo", {"P1800", "122 Amazon", "240"}},
    {"Studebaker", {"Avanti", "Golden Hawk", "Champion"}},
    {"Packard", {"Caribbean", "Clipper", "Super Eight"}},
    {"De Tomaso", {"Pantera", "Mangusta"}},
    {"Citroën", {"DS 21", "2CV", "SM"}},
};

struct Place {
  const char* city;
  const char* state;
};
const std::vector<Place> kPlaces = {
    {"Scottsdale", "AZ"},   {"Phoenix", "AZ"},       {"Los Angeles", "CA"},
    {"San Diego", "CA"},    {"Sacramento", "CA"},    {"Denver", "CO"},
    {"Hartford", "CT"},     {"Miami", "FL"},         {"Tampa", "FL"},
    {"Atlanta", "GA"},      {"Boise", "ID"},         {"Chicago", "IL"},
    {"Indianapolis", "IN"}, {"Des Moines", "IA"},    {"Wichita", "KS"},
    {"Louisville", "KY"},   {"New Orleans", "LA"},   {"Portland", "ME"},
    {"Baltimore", "MD"},    {"Boston", "MA"},        {"Detroit", "MI"},
    {"Minneapolis", "MN"},  {"St. Louis", "MO"},     {"Billings", "MT"},
    {"Omaha", "NE"},        {"Las Vegas", "NV"},     {"Newark", "NJ"},
    {"Santa Fe", "NM"},     {"Buffalo", "NY"},       {"Charlotte", "NC"},
    {"Columbus", "OH"},     {"Tulsa", "OK"},         {"Portland", "OR"},
    {"Pittsburgh", "PA"},   {"Nashville", "TN"},     {"Austin", "TX"},
    {"Houston", "TX"},      {"Dallas", "TX"},        {"Salt Lake City", "UT"},
    {"Richmond", "VA"},     {"Seattle", "WA"},       {"Milwaukee", "WI"},
    {"Cheyenne", "WY"},     {"Coeur d’Alene", "ID"},
};

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

const std::vector<const char*> kConditions = {"Excellent", "Very Good", "Good", "Fair", "Project"};
const std::vector<const char*> kCategories = {
    "Muscle Cars", "Sports Cars", "Classic Cars", "Hot Rods", "Restomods", "Luxury Cars", "Trucks"};
const std::vector<const char*> kColors = {
    "Rosso Corsa",          "Guards Red",      "Hugger Orange", "Plum Crazy",
    "British Racing Green", "Arctic White",    "Tuxedo Black",  "Grabber Blue",
    "Silver Birch",         "Champagne Beige", "Sublime Green"};
const std::vector<const char*> kInteriors = {"black vinyl",     "tan leather",    "crème leather",
                                             "red houndstooth", "saddle leather", "parchment",
                                             "blue cloth"};

// Sentences of the kind sellers write. A few carry typographic punctuation,
// accents or quotes, because real scraped text does and validators must
// count and escape them correctly.
const std::vector<const char*> kSentences = {
    "Runs and drives great, no issues.",
    "Numbers-matching engine — rebuilt in 2019 with receipts.",
    "Garage-kept by a retired café owner for the last 22 years.",
    "Fresh paint, new chrome bumpers and a rebuilt 4-speed manual.",
    "Documented history: owner’s manual, window sticker, build sheet and service records.",
    "Sold \"as is\" — please inspect before bidding.",
    "Power steering, power brakes, factory A/C blows cold.",
    "Some surface rust on the rocker panels; floors are solid.",
    "Recent tune-up, new water pump, hoses and belts.",
    "Interior redone in original pattern; dash pad is uncracked.",
    "Original 2-owner car with 3 sets of keys.",
    "Clean title in hand, ready for a new home.",
    "Frame-off restoration completed by a marque specialist.",
    "Concours-level detail throughout — a true show winner.",
    "Upgraded with disc brakes, electronic ignition and an aluminium radiator.",
    "Minor chips on the front valance, otherwise excellent.",
    "Stored indoors at 68 °F under a fitted cover.",
    "Delivered new in Montréal, then shipped to the U.S. in 1984.",
    "Tires have about ½ of their tread left.",
    "Engine bay is clean and dry; no leaks to report.",
    "Shipping available worldwide; we handle all paperwork.",
    "Financing available with approved credit.",
    "Trades considered — call for details.",
    "All lights, gauges and the original AM radio work.",
    "The soft top is new and fits perfectly.",
    "Transmission shifts smoothly through all gears.",
    "Includes a period-correct jack, spare and tool roll.",
    "Mileage is believed to be original but not guaranteed.",
    "Project car: needs brakes, fuel system and a good cleaning.",
    "Appraised at Hagerty condition #2 in 2023.",
};

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
}

void add_string(std::string& out, const char* key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  append_escaped(out, value);
  out += "\",";
}

void add_number(std::string& out, const char* key, int64_t value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
  out += ',';
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Most listings say a few lines, some a paragraph, a few a whole page:
// 70% 50–110, 25% 110–350, 5% 350–1500 code points.
size_t description_length(Rng& rng) {
  const double u = rng.unit();
  if (u < 0.70) return static_cast<size_t>(rng.between(50, 110));
  if (u < 0.95) return static_cast<size_t>(rng.between(110, 350));
  return static_cast<size_t>(rng.between(350, 1500));
}

// Whole sentences up to `target` code points (never under 50), so the text
// ends like a seller's text does rather than mid-word.
std::string description(Rng& rng, int64_t year, const char* make, const char* model,
                        size_t target) {
  std::string d = std::to_string(year) + " " + make + " " + model + " in " + rng.pick(kColors) +
                  " over " + rng.pick(kInteriors) + " interior.";
  size_t length = code_points(d);
  for (;;) {
    const bool paragraph = rng.chance(0.12);
    const std::string_view sentence = rng.pick(kSentences);
    const size_t added = (paragraph ? 2 : 1) + code_points(sentence);
    if (length >= 50 && length + added > target) break;
    d += paragraph ? "\n\n" : " ";
    d += sentence;
    length += added;
  }
  return d;
}

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

std::string record(Rng& rng, uint64_t index) {
  Defect defect = Defect::None;
  if (rng.chance(0.07)) {
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
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s N SEED > vehicles.jsonl\n", argv[0]);
    return 64;
  }
  char* end = nullptr;
  const unsigned long long n = std::strtoull(argv[1], &end, 10);
  if (*end != '\0') {
    std::fprintf(stderr, "N must be a number, got '%s'\n", argv[1]);
    return 64;
  }
  const unsigned long long seed = std::strtoull(argv[2], &end, 10);
  if (*end != '\0') {
    std::fprintf(stderr, "SEED must be a number, got '%s'\n", argv[2]);
    return 64;
  }

  Rng rng(seed);
  std::string buffer;
  buffer.reserve(1 << 20);
  for (unsigned long long i = 0; i < n; ++i) {
    buffer += record(rng, i);
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
