#pragma once
// The vocabulary the benchmark generators draw listings from (real makes and
// models, US places, seller sentences), their PRNG, and JSON writing helpers.
// Shared by bench_gen_vehicles (validate) and bench_gen_dedup_vehicles
// (dedup), so both benchmarks see the same kind of listing.
//
// Everything here is fully specified (no std:: distributions), so generated
// files are a pure function of their parameters on any standard library.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

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
inline const std::vector<Make> kMakes = {
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
inline const std::vector<Place> kPlaces = {
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

inline const std::vector<const char*> kConditions = {"Excellent", "Very Good", "Good", "Fair",
                                                     "Project"};
inline const std::vector<const char*> kCategories = {
    "Muscle Cars", "Sports Cars", "Classic Cars", "Hot Rods", "Restomods", "Luxury Cars", "Trucks"};
inline const std::vector<const char*> kColors = {
    "Rosso Corsa",          "Guards Red",      "Hugger Orange", "Plum Crazy",
    "British Racing Green", "Arctic White",    "Tuxedo Black",  "Grabber Blue",
    "Silver Birch",         "Champagne Beige", "Sublime Green"};
inline const std::vector<const char*> kInteriors = {
    "black vinyl",    "tan leather", "crème leather", "red houndstooth",
    "saddle leather", "parchment",   "blue cloth"};

// Sentences of the kind sellers write. A few carry typographic punctuation,
// accents or quotes, because real scraped text does and validators must
// count and escape them correctly.
inline const std::vector<const char*> kSentences = {
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

inline void append_escaped(std::string& out, std::string_view s) {
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

inline void add_string(std::string& out, const char* key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  append_escaped(out, value);
  out += "\",";
}

inline void add_number(std::string& out, const char* key, int64_t value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
  out += ',';
}

inline size_t code_points(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Most listings say a few lines, some a paragraph, a few a whole page:
// 70% 50–110, 25% 110–350, 5% 350–1500 code points.
inline size_t description_length(Rng& rng) {
  const double u = rng.unit();
  if (u < 0.70) return static_cast<size_t>(rng.between(50, 110));
  if (u < 0.95) return static_cast<size_t>(rng.between(110, 350));
  return static_cast<size_t>(rng.between(350, 1500));
}

// Whole sentences up to `target` code points (never under 50), so the text
// ends like a seller's text does rather than mid-word.
inline std::string description(Rng& rng, int64_t year, const char* make, const char* model,
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
}  // namespace bench
