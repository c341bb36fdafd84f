#pragma once
// Market prices of comparable listings: the same make and model (normalised
// for matching: case, accents, spacing) and a year within ±year_window. The
// comparables of a listing are the other priced listings of this batch plus,
// when a database is used, the active listings in it that are not in this
// batch (a listing is never its own comparable, nor counted twice).
//
// Built once on the stage's main thread from the first pass over the input
// (MarketIndexBuilder), then immutable: MarketIndex lookups are thread-safe.

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "enrich/record_fields.hpp"
#include "util/huge_page_array.hpp"
#include "util/position_table.hpp"

namespace haul::enrich {

// What the market index needs of a vehicle: found by market_features().
struct MarketFeatures {
  std::string model_key;  // normalised make + '\x1f' + normalised model
  int year = 0;
  double price = 0;
  bool has_price = false;  // a positive, finite price
};

// False when the record lacks a string make and model or an integer year
// (the listing has no market then).
bool market_features(simdjson::dom::object record, MarketFeatures& out);

// market_features() with a memo of model_key(): a batch repeats a few
// thousand make/model spellings, and normalising them is most of the work.
// One per thread; memory is bounded (the memo is cleared when full).
class MarketFeatureReader {
 public:
  bool read(const RecordFields& record, MarketFeatures& out);

 private:
  static constexpr std::size_t kMaxEntries = 100000;
  std::string spelling_;
  std::unordered_map<std::string, std::string> model_keys_;  // make '\x1f' model -> model_key()
};
std::string model_key(std::string_view make, std::string_view model);

struct Comparables {
  std::uint32_t count = 0;           // priced comparable listings, this one excluded
  std::uint32_t batch_count = 0;     // of which from this batch
  std::uint32_t database_count = 0;  // of which from the database
  double median = 0;                 // of their prices; meaningful when count > 0
};

class MarketIndex {
 public:
  MarketIndex() = default;
  // Move-only: it is large (a listing per input position).
  MarketIndex(const MarketIndex&) = delete;
  MarketIndex& operator=(const MarketIndex&) = delete;
  MarketIndex(MarketIndex&&) = default;
  MarketIndex& operator=(MarketIndex&&) = default;

  // The comparables of a listing of `features` (its own price, when it has
  // one, is taken out of the batch's prices).
  Comparables comparables(const MarketFeatures& features) const;

  // A batch listing as the first pass saw it, by its position in the input,
  // so the second pass neither re-reads nor re-normalises it.
  struct Listing {
    std::uint32_t model = kNoModel;
    int year = 0;
    double price = 0;
    bool has_price = false;
    std::uint32_t window = kNoWindow;  // its (model, year)'s, set by MarketIndexBuilder::build()
  };
  static constexpr std::uint32_t kNoModel = 0xffffffff;
  static constexpr std::uint32_t kNoWindow = 0xffffffff;
  // Null for a position without market features.
  const Listing* listing_at(std::uint64_t position) const;
  Comparables comparables(const Listing& listing) const;
  // The same for the listing at `position`, without a hash lookup.
  Comparables comparables_at(std::uint64_t position) const;
  // Starts loading what comparables_at(position) will read: a window is a
  // random read in a table of megabytes, and the second pass knows its
  // positions a few records ahead.
  void prefetch(std::uint64_t position) const;
  std::size_t models() const { return model_ids_.size(); }

 private:
  friend class MarketIndexBuilder;
  // The prices of years y-w..y+w (batch and database), kept as what a
  // median needs: with all of them, and with one listing's own price left
  // out (its middle neighbours). The price lists themselves are dropped.
  struct Window {
    std::uint32_t batch = 0, database = 0;
    std::size_t size = 0;
    double median = 0;      // of all, when size > 0
    double middle[3] = {};  // v[m/2-1], v[m/2], v[m/2+1] for m = size-1 (where they exist)
  };
  static Comparables comparables(const Window& window, const Listing& listing);
  static std::uint64_t slot(std::uint32_t model, int year) {
    return (std::uint64_t(model) << 32) | std::uint32_t(year);
  }
  std::unordered_map<std::string, std::uint32_t> model_ids_;
  // Only the (model, year) seen in the batch. Contiguous, not one hash node
  // each: the second pass reads a window per record, and scattered nodes
  // made that read a cache miss (92% of comparables()' samples).
  HugePageArray<Window> windows_;  // few TLB misses for the second pass's random reads
  std::unordered_map<std::uint64_t, std::uint32_t> window_ids_;  // slot -> index in windows_
  PositionTable<Listing> listings_;                              // with their windows
};

class MarketIndexBuilder {
 public:
  explicit MarketIndexBuilder(int year_window) : year_window_(year_window) {}
  // The listing at `position` (its index in the input).
  void add_batch_listing(std::uint64_t position, const MarketFeatures& features);
  // The same in two steps, for a caller that groups its listings by model:
  // the id of a model_key(), then listings of that model.
  std::uint32_t model_id(const std::string& model_key);
  void add_batch_listing(std::uint64_t position, std::uint32_t model, int year, double price,
                         bool has_price);
  // A database listing; ignored unless its model is in the batch.
  void add_database_listing(std::string_view make, std::string_view model, int year, double price);
  // The distinct lower-cased makes of the batch, for the database query.
  std::vector<std::string> batch_makes() const;
  MarketIndex build();

 private:
  std::uint32_t slot_id(std::uint32_t model, int year);  // added when new

  // A (model, year) seen in the batch or the database.
  struct Slot {
    std::uint32_t model;
    int year;
    std::vector<double> database;  // the database's prices
  };
  int year_window_;
  std::unordered_map<std::string, std::uint32_t> model_ids_;
  std::unordered_map<std::uint64_t, std::uint32_t> slot_ids_;  // MarketIndex::slot() -> slots_
  // The same by model, then year: a model's years are few and close, so an
  // array per model finds a listing's slot in one access where the hash map
  // (60,000 slots on a million vehicles) cost two cache misses a listing, the
  // first pass's busiest thread's largest item. Years beyond kMaxYearSpan of
  // a model's first one are left to the hash map.
  struct YearSlots {
    int first_year = 0;
    std::vector<std::uint32_t> slots;  // kNoSlot where none
  };
  static constexpr std::uint32_t kNoSlot = 0xffffffff;
  static constexpr int kMaxYearSpan = 512;
  std::vector<YearSlots> years_of_model_;
  std::vector<Slot> slots_;
  // The batch's listings; until build(), a listing's `window` holds its slot.
  // Their prices are grouped by slot only in build(): a price list per slot,
  // grown listing by listing, was most of this builder's page faults.
  PositionTable<MarketIndex::Listing> listings_;
  std::unordered_set<std::string> makes_;
};

}  // namespace haul::enrich
