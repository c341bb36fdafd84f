#include "enrich/market_index.hpp"

#include <algorithm>
#include <cmath>
#include <future>

#include "util/utf8.hpp"

namespace haul::enrich {

using simdjson::dom::object;

std::string model_key(std::string_view make, std::string_view model) {
  std::string key = utf8::normalize_for_matching(make);
  key.push_back('\x1f');
  key += utf8::normalize_for_matching(model);
  return key;
}

namespace {

// Calls work(begin, end) on [0, n) in two halves, the second on a thread of
// its own: the index is built between the passes, when the other core has
// nothing to do. An exception from either half reaches the caller.
template <typename Work>
void in_two_halves(std::uint64_t n, const Work& work) {
  const std::uint64_t half = n / 2;
  auto second = std::async(std::launch::async, [&] { work(half, n); });
  work(0, half);
  second.get();
}

// market_features() with the model key from `key_of(make, model)`.
template <typename KeyOf>
bool read_features(const RecordFields& record, MarketFeatures& out, KeyOf&& key_of) {
  std::string_view make, model;
  std::int64_t year;
  if (record["make"].get(make) || record["model"].get(model) || record["year"].get(year) ||
      year < -100000 || year > 100000) {
    return false;
  }
  out.model_key = key_of(make, model);
  out.year = static_cast<int>(year);
  double price;
  out.has_price = !record["price"].get(price) && std::isfinite(price) && price > 0;
  out.price = out.has_price ? price : 0;
  return true;
}

}  // namespace

bool market_features(object record, MarketFeatures& out) {
  return read_features(RecordFields(record), out, model_key);
}

bool MarketFeatureReader::read(const RecordFields& record, MarketFeatures& out) {
  return read_features(record, out, [&](std::string_view make, std::string_view model) {
    spelling_.assign(make);
    spelling_.push_back('\x1f');
    spelling_.append(model);
    auto found = model_keys_.find(spelling_);
    if (found == model_keys_.end()) {
      if (model_keys_.size() >= kMaxEntries) model_keys_.clear();
      found = model_keys_.emplace(spelling_, model_key(make, model)).first;
    }
    return found->second;
  });
}

Comparables MarketIndex::comparables(const MarketFeatures& features) const {
  auto model = model_ids_.find(features.model_key);
  if (model == model_ids_.end()) return Comparables{};
  return comparables(Listing{model->second, features.year, features.price, features.has_price});
}

const MarketIndex::Listing* MarketIndex::listing_at(std::uint64_t position) const {
  if (position >= listings_.size() || listings_[position].model == kNoModel) return nullptr;
  return &listings_[position];
}

Comparables MarketIndex::comparables(const Listing& listing) const {
  auto window = window_ids_.find(slot(listing.model, listing.year));
  return window == window_ids_.end() ? Comparables{}
                                     : comparables(windows_[window->second], listing);
}

Comparables MarketIndex::comparables_at(std::uint64_t position) const {
  const Listing* listing = listing_at(position);
  if (!listing || listing->window == kNoWindow) return Comparables{};
  return comparables(windows_[listing->window], *listing);
}

void MarketIndex::prefetch(std::uint64_t position) const {
  if (position >= listings_.size()) return;
  const std::uint32_t window = listings_[position].window;
  if (listings_[position].model != kNoModel && window != kNoWindow) {
    __builtin_prefetch(&windows_[window]);
  }
}

Comparables MarketIndex::comparables(const Window& w, const Listing& listing) {
  Comparables out;
  const bool own = listing.has_price;
  out.batch_count = w.batch - (own ? 1 : 0);
  out.database_count = w.database;
  out.count = out.batch_count + out.database_count;
  if (!own) {
    out.median = w.median;
    return out;
  }
  // The listing's own price is in the window; without it, the i-th price is
  // v[i] below the removed one and v[i + 1] from it on, and "from it on" is
  // v[i] >= own (v is sorted): only the middle neighbours matter.
  const std::size_t m = w.size - 1;
  if (m == 0) return out;
  const std::size_t base = m / 2 - (m % 2 == 0 ? 1 : 0);       // index of middle[0]
  auto v = [&](std::size_t i) { return w.middle[i - base]; };  // for i in [base, base + 2]
  auto at = [&](std::size_t i) { return v(i) >= listing.price ? v(i + 1) : v(i); };
  out.median = m % 2 == 1 ? at(m / 2) : (at(m / 2 - 1) + at(m / 2)) / 2;
  return out;
}

void MarketIndexBuilder::add_batch_listing(std::uint64_t position, const MarketFeatures& features) {
  add_batch_listing(position, model_id(features.model_key), features.year, features.price,
                    features.has_price);
}

std::uint32_t MarketIndexBuilder::model_id(const std::string& key) {
  auto [it, added] = model_ids_.try_emplace(key, static_cast<std::uint32_t>(model_ids_.size()));
  if (added) makes_.insert(key.substr(0, key.find('\x1f')));
  return it->second;
}

std::uint32_t MarketIndexBuilder::slot_id(std::uint32_t model, int year) {
  auto hashed = [&] {
    auto [it, added] = slot_ids_.try_emplace(MarketIndex::slot(model, year),
                                             static_cast<std::uint32_t>(slots_.size()));
    if (added) slots_.push_back({model, year, {}});
    return it->second;
  };
  if (years_of_model_.size() <= model) years_of_model_.resize(model + 1);
  YearSlots& years = years_of_model_[model];
  if (years.slots.empty()) years.first_year = year;
  const std::int64_t from = std::min<std::int64_t>(years.first_year, year);
  const std::int64_t to =
      std::max<std::int64_t>(years.first_year + std::ssize(years.slots), std::int64_t{year} + 1);
  if (to - from > kMaxYearSpan) return hashed();
  if (from < years.first_year) {
    years.slots.insert(years.slots.begin(), static_cast<std::size_t>(years.first_year - from),
                       kNoSlot);
    years.first_year = static_cast<int>(from);
  }
  if (to - years.first_year > std::ssize(years.slots)) {
    years.slots.resize(static_cast<std::size_t>(to - years.first_year), kNoSlot);
  }
  std::uint32_t& slot = years.slots[static_cast<std::size_t>(year - years.first_year)];
  if (slot == kNoSlot) slot = hashed();
  return slot;
}

void MarketIndexBuilder::add_batch_listing(std::uint64_t position, std::uint32_t model, int year,
                                           double price, bool has_price) {
  listings_.grow_to(position + 1);
  listings_[position] = {model, year, price, has_price, slot_id(model, year)};
}

void MarketIndexBuilder::add_database_listing(std::string_view make, std::string_view model,
                                              int year, double price) {
  if (!std::isfinite(price) || price <= 0) return;
  auto it = model_ids_.find(model_key(make, model));
  if (it == model_ids_.end()) return;
  slots_[slot_id(it->second, year)].database.push_back(price);
}

std::vector<std::string> MarketIndexBuilder::batch_makes() const {
  std::vector<std::string> makes;
  makes.assign(makes_.begin(), makes_.end());
  std::sort(makes.begin(), makes.end());
  return makes;
}

MarketIndex MarketIndexBuilder::build() {
  MarketIndex index;
  // The batch's prices grouped by slot in one array (a counting sort), each
  // slot's sorted: [first[s], first[s + 1]). Slots with a batch listing get
  // a window; the others hold database prices only.
  std::vector<std::size_t> first(slots_.size() + 1, 0);
  std::vector<bool> in_batch(slots_.size(), false);
  for (std::uint64_t position = 0; position < listings_.size(); ++position) {
    const MarketIndex::Listing& listing = listings_[position];
    if (listing.model == MarketIndex::kNoModel) continue;
    in_batch[listing.window] = true;
    if (listing.has_price) ++first[listing.window + 1];
  }
  for (std::size_t s = 0; s < slots_.size(); ++s) first[s + 1] += first[s];
  HugePageArray<double> prices(first.back());
  {
    std::vector<std::size_t> next(first.begin(), first.end() - 1);
    for (std::uint64_t position = 0; position < listings_.size(); ++position) {
      const MarketIndex::Listing& listing = listings_[position];
      if (listing.model != MarketIndex::kNoModel && listing.has_price) {
        prices[next[listing.window]++] = listing.price;
      }
    }
  }
  in_two_halves(slots_.size(), [&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t s = from; s < to; ++s) {
      std::sort(prices.data() + first[s], prices.data() + first[s + 1]);
      std::sort(slots_[s].database.begin(), slots_[s].database.end());
    }
  });

  // Windows are numbered in slot order, whichever thread computes them.
  std::vector<std::uint32_t> window_of_slot(slots_.size(), MarketIndex::kNoWindow);
  std::uint32_t windows = 0;
  for (std::uint32_t s = 0; s < slots_.size(); ++s) {
    if (in_batch[s]) window_of_slot[s] = windows++;
  }
  index.windows_ = HugePageArray<MarketIndex::Window>(windows);
  index.window_ids_.reserve(windows);
  for (std::uint32_t s = 0; s < slots_.size(); ++s) {
    if (in_batch[s]) {
      index.window_ids_.emplace(MarketIndex::slot(slots_[s].model, slots_[s].year),
                                window_of_slot[s]);
    }
  }
  in_two_halves(slots_.size(), [&](std::uint64_t from, std::uint64_t to) {
    // A window's prices are a few sorted lists (each year's batch and
    // database prices): they are walked up to the order statistics a Window
    // keeps, never merged into one list.
    std::vector<std::pair<const double*, const double*>> lists;
    for (std::uint64_t batch_slot = from; batch_slot < to; ++batch_slot) {
      if (!in_batch[batch_slot]) continue;
      const Slot& slot = slots_[batch_slot];
      MarketIndex::Window window;
      lists.clear();
      auto add = [&lists, &window](const double* begin, const double* end) {
        if (begin != end) lists.emplace_back(begin, end);
        window.size += static_cast<std::size_t>(end - begin);
      };
      for (int y = slot.year - year_window_; y <= slot.year + year_window_; ++y) {
        auto it = slot_ids_.find(MarketIndex::slot(slot.model, y));
        if (it == slot_ids_.end()) continue;
        const std::uint32_t s = it->second;
        add(prices.data() + first[s], prices.data() + first[s + 1]);
        const std::vector<double>& database = slots_[s].database;
        add(database.data(), database.data() + database.size());
        window.batch += static_cast<std::uint32_t>(first[s + 1] - first[s]);
        window.database += static_cast<std::uint32_t>(database.size());
      }
      const std::size_t n = window.size;
      if (n > 0) {
        // The median of all, and middle[] for m = n - 1 (a listing's own price
        // left out): v[base], v[base + 1], v[base + 2] where they exist.
        const std::size_t m = n - 1;
        const std::size_t base = n >= 2 ? m / 2 - (m % 2 == 0 ? 1 : 0) : n;
        const std::size_t last = std::min(n - 1, std::max(n / 2, base + 2));
        double lower_median = 0, upper_median = 0;
        for (std::size_t rank = 0; rank <= last; ++rank) {
          auto smallest =
              std::min_element(lists.begin(), lists.end(),
                               [](const auto& a, const auto& b) { return *a.first < *b.first; });
          const double value = *smallest->first++;
          if (smallest->first == smallest->second) {
            *smallest = lists.back();
            lists.pop_back();
          }
          if (rank == m / 2) lower_median = value;
          if (rank == n / 2) upper_median = value;
          if (rank >= base && rank < base + 3) window.middle[rank - base] = value;
        }
        window.median = n % 2 == 1 ? upper_median : (lower_median + upper_median) / 2;
      }
      index.windows_[window_of_slot[batch_slot]] = window;
    }
  });
  in_two_halves(listings_.size(), [&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t position = from; position < to; ++position) {
      MarketIndex::Listing& listing = listings_[position];
      if (listing.model != MarketIndex::kNoModel) listing.window = window_of_slot[listing.window];
    }
  });
  index.model_ids_ = std::move(model_ids_);
  index.listings_ = std::move(listings_);
  slot_ids_.clear();
  years_of_model_.clear();
  slots_.clear();
  return index;
}

}  // namespace haul::enrich
