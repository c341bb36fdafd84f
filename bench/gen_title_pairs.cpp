// bench_gen_title_pairs N SEED > pairs.tsv
//
// Writes N pairs of listing titles, one pair per line as "title<TAB>title",
// for the Levenshtein benchmark: both contenders (haul's kernel and
// python-Levenshtein) read this one file. Titles are 30–60 code points, in
// the style of "2015 Ford Mustang GT Premium Convertible", some with accents
// and typographic characters (Citroën, Mégane, Coupé, 4×4, —). The pairs are
// what near-duplicate scoring compares:
//   45%  one listing and a retyped copy: 1–4 typos (substitution, deletion,
//        insertion, transposition), a word's case changed, accents dropped,
//        a word added or removed;
//   45%  two different listings of the same make (pairs inside one block);
//   10%  two unrelated listings.
// Output is a pure function of (N, SEED), like bench_gen_vehicles. Links haul
// for its UTF-8 decoder (and utf8proc, which haul links, for the encoder).
#include <utf8proc.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "generator_args.hpp"
#include "util/utf8.hpp"
#include "vehicle_corpus.hpp"

namespace {

using bench::Rng;

struct TitleModel {
  const char* make;
  const char* model;
  std::vector<const char*> trims;
};

const std::vector<TitleModel> kTitleModels = {
    {"Ford", "Mustang", {"GT Premium", "EcoBoost", "Shelby GT350", "Mach 1", "Bullitt"}},
    {"Ford", "F-150", {"XLT SuperCrew", "Lariat", "Raptor", "King Ranch", "Platinum"}},
    {"Ford", "Bronco", {"Badlands", "Wildtrak", "Outer Banks", "Big Bend"}},
    {"Chevrolet", "Silverado 1500", {"LT Trail Boss", "High Country", "RST", "Custom"}},
    {"Chevrolet", "Corvette", {"Stingray 3LT", "Z06", "Grand Sport", "E-Ray"}},
    {"Toyota", "Camry", {"SE", "XLE V6", "TRD", "Hybrid LE"}},
    {"Toyota", "RAV4", {"XLE Premium", "Adventure", "Prime XSE", "TRD Off-Road"}},
    {"Toyota", "Land Cruiser", {"Heritage Edition", "VX", "GR Sport"}},
    {"Honda", "Civic", {"Type R", "Si Sedan", "EX-L", "Sport Touring"}},
    {"Honda", "Accord", {"EX-L 2.0T", "Sport Special Edition", "Touring Hybrid"}},
    {"BMW", "3 Series", {"330i xDrive", "M340i", "320d Touring"}},
    {"BMW", "X5", {"xDrive40i", "M50i", "xDrive45e"}},
    {"Mercedes-Benz", "E-Class", {"E 350 4MATIC Coupé", "E 450 Cabriolet", "AMG E 53"}},
    {"Mercedes-Benz", "G-Class", {"G 550", "AMG G 63", "G 500 Edition 1"}},
    {"Volkswagen", "Golf", {"GTI Autobahn", "R 4Motion", "TDI SportWagen"}},
    {"Škoda", "Octavia", {"RS Combi", "Scout 4×4", "Laurin & Klement"}},
    {"Citroën", "C5 Aircross", {"Shine Pack", "Feel Hybrid", "C-Series"}},
    {"Renault", "Mégane", {"R.S. Trophy", "E-Tech Iconic", "GT Line"}},
    {"Peugeot", "508", {"GT Line", "PSE", "Allure Pack"}},
    {"Alfa Romeo", "Giulia", {"Quadrifoglio", "Ti Sport", "Veloce"}},
    {"Porsche", "911", {"Carrera 4S", "Turbo S Cabriolet", "GT3 Touring", "Targa 4"}},
    {"Porsche", "Cayenne", {"E-Hybrid Coupé", "GTS", "Turbo GT"}},
    {"Lamborghini", "Huracán", {"EVO Spyder", "STO", "Tecnica"}},
    {"Jeep", "Wrangler", {"Unlimited Rubicon", "Sahara 4xe", "Willys"}},
    {"Jeep", "Grand Cherokee", {"Summit Reserve", "Trailhawk", "Overland"}},
    {"Tesla", "Model 3", {"Long Range AWD", "Performance", "Standard Range Plus"}},
    {"Subaru", "Outback", {"Wilderness", "Limited XT", "Onyx Edition"}},
    {"Mazda", "MX-5 Miata", {"Club", "Grand Touring RF", "Sport"}},
    {"Hyundai", "Ioniq 5", {"SEL AWD", "Limited", "N"}},
    {"Kia", "Telluride", {"SX Prestige X-Line", "EX", "S"}},
    {"Nissan", "GT-R", {"Premium", "NISMO", "T-Spec"}},
    {"Dodge", "Challenger", {"R/T Scat Pack Widebody", "SRT Hellcat", "GT"}},
    {"Ram", "1500", {"Laramie Crew Cab", "TRX", "Big Horn", "Rebel"}},
    {"Lexus", "RX 350", {"F Sport", "Luxury", "Premium"}},
    {"Audi", "Q5", {"Sportback Prestige", "45 TFSI quattro", "S line"}},
    {"Volvo", "XC90", {"T8 Recharge Inscription", "B6 Momentum", "Ultimate"}},
    {"Land Rover", "Defender", {"110 X-Dynamic SE", "90 V8", "130 Outbound"}},
};

const std::vector<const char*> kBodies = {"Convertible", "Coupe", "Sedan", "Hatchback",
                                          "Wagon",       "4WD",   "AWD",   "Crew Cab"};
const std::vector<const char*> kExtras = {
    "1-Owner",     "Clean CARFAX",    "Low Miles",     "Certified Pre-Owned", "Navigation",
    "Sunroof",     "— Blanc Glacier", "— Rosso Corsa", "· Grün Metallic",     "Leather",
    "in Montréal", "No Accidents",    "Manual",        "Fully Loaded",        "Warranty"};

std::u32string decode(const std::string& s) {
  std::u32string out;
  haul::utf8::decode(s, out);
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  utf8proc_uint8_t bytes[4];
  for (const char32_t c : s) {
    const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), bytes);
    out.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
  }
  return out;
}

constexpr size_t kMinLength = 30, kMaxLength = 60;

std::u32string title_of(Rng& rng, const TitleModel& m) {
  for (;;) {
    std::string t = std::to_string(rng.between(2005, 2025)) + " " + m.make + " " + m.model + " " +
                    rng.pick(m.trims);
    if (rng.chance(0.6)) t += std::string(" ") + rng.pick(kBodies);
    std::u32string title = decode(t);
    while (title.size() < kMinLength || (title.size() < kMaxLength - 12 && rng.chance(0.35))) {
      title += decode(std::string(" ") + rng.pick(kExtras));
    }
    if (title.size() <= kMaxLength) return title;
  }
}

char32_t strip_accent(char32_t c) {
  switch (c) {
    case U'é':
    case U'è':
      return U'e';
    case U'ë':
      return U'e';
    case U'á':
      return U'a';
    case U'ü':
      return U'u';
    case U'Š':
      return U'S';
    case U'×':
      return U'x';
    default:
      return c;
  }
}

// A retyped copy: 1–4 edits of the kinds people and scrapers make.
std::u32string retyped(Rng& rng, std::u32string t) {
  static const std::u32string kKeys = U"abcdefghijklmnopqrstuvwxyz0123456789 -";
  const int64_t edits = rng.between(1, 4);
  for (int64_t e = 0; e < edits && t.size() > 2; ++e) {
    const auto at = static_cast<size_t>(rng.between(0, static_cast<int64_t>(t.size()) - 2));
    switch (rng.between(0, 6)) {
      case 0:
        t[at] = kKeys[static_cast<size_t>(rng.between(0, static_cast<int64_t>(kKeys.size()) - 1))];
        break;
      case 1:
        t.erase(at, 1);
        break;
      case 2:
        t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), t[at]);
        break;
      case 3:
        std::swap(t[at], t[at + 1]);
        break;
      case 4:  // a word upper-cased, as some sites shout the model
        for (size_t i = at; i < t.size() && t[i] != U' '; ++i) {
          if (t[i] >= U'a' && t[i] <= U'z') t[i] -= 32;
        }
        break;
      case 5:
        for (auto& c : t) c = strip_accent(c);
        break;
      default: {  // the tail after the last space dropped or a word added
        const size_t space = t.rfind(U' ');
        if (rng.chance(0.5) && space != std::u32string::npos && space > kMinLength) {
          t.resize(space);
        } else {
          t += decode(std::string(" ") + rng.pick(kExtras));
        }
      }
    }
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s N SEED > pairs.tsv\n", argv[0]);
    return 64;
  }
  unsigned long long n = 0, seed = 0;
  if (!bench::parse_count(argv[1], "N", true, n) ||
      !bench::parse_count(argv[2], "SEED", false, seed)) {
    return 64;
  }
  Rng rng(seed);
  std::string out;
  for (unsigned long long i = 0; i < n;) {
    const TitleModel& m = rng.pick(kTitleModels);
    const std::u32string a = title_of(rng, m);
    std::u32string b;
    const double kind = rng.unit();
    if (kind < 0.45) {
      b = retyped(rng, a);
    } else if (kind < 0.90) {
      const TitleModel* other = &rng.pick(kTitleModels);
      while (std::string_view(other->make) != m.make) other = &rng.pick(kTitleModels);
      b = title_of(rng, *other);
    } else {
      b = title_of(rng, rng.pick(kTitleModels));
    }
    if (b.size() < kMinLength || b.size() > kMaxLength) continue;  // keep every title in range
    out += encode(a);
    out += '\t';
    out += encode(b);
    out += '\n';
    ++i;
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    std::perror("write");
    return 74;
  }
  return 0;
}
