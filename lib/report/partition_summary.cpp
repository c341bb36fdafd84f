#include "report/partition_summary.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "util/clock.hpp"

namespace haul::report {

namespace {

constexpr std::array<const char*, 6> kStageOrder = {"scrape", "validate", "dedup",
                                                    "enrich", "import",   "cleanup"};

bool is_success(const run::RunEntry& run) { return run.status == "completed"; }

}  // namespace

std::optional<double> PartitionSummary::pass_rate() const {
  if (!has_counts || counts.in == 0) return std::nullopt;
  return static_cast<double>(counts.out) / static_cast<double>(counts.in);
}

int stage_rank(const std::string& stage) {
  for (std::size_t i = 0; i < kStageOrder.size(); ++i) {
    if (stage == kStageOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(kStageOrder.size());
}

std::vector<PartitionSummary> summarize_partitions(const std::vector<run::RunEntry>& runs,
                                                   const std::string& exclude_stage) {
  using Key = std::tuple<std::string, int, std::string, std::string>;  // date, rank, stage, type
  std::map<Key, PartitionSummary> partitions;
  // Whether the figures shown came from a run that did work: such a run is
  // never replaced by a later skipped one.
  std::map<Key, bool> figures_from_work;
  for (const run::RunEntry& run : runs) {  // in the order the runs started
    if (run.stage == exclude_stage) continue;
    Key key{run.date, stage_rank(run.stage), run.stage, run.type};
    PartitionSummary& p = partitions[key];
    p.stage = run.stage;
    p.date = run.date;
    p.type = run.type;
    ++p.runs;
    p.status = is_success(run) && run.skipped ? "skipped" : run.status;
    p.exit_code = run.exit_code;
    p.error = run.status == "failed" || run.status == "abandoned" ? run.error : "";
    if (run.status == "failed" || run.status == "abandoned") ++p.failed_runs;
    if (!is_success(run)) continue;
    p.last_success_at = std::max(p.last_success_at, run.ended_at);
    bool& from_work = figures_from_work[key];
    if (run.skipped && from_work) continue;
    p.has_counts = true;
    p.counts = run.counts;
    p.duration_s = run.duration_s;
    from_work = !run.skipped;
  }
  std::vector<PartitionSummary> out;
  out.reserve(partitions.size());
  for (auto& [key, summary] : partitions) out.push_back(std::move(summary));
  return out;
}

std::optional<std::chrono::system_clock::time_point> last_success(
    const std::vector<run::RunEntry>& runs, const std::string& stage) {
  std::optional<std::chrono::system_clock::time_point> latest;
  for (const run::RunEntry& run : runs) {
    if (run.stage != stage || !is_success(run)) continue;
    auto ended = parse_utc(run.ended_at);
    if (ended && (!latest || *ended > *latest)) latest = ended;
  }
  return latest;
}

}  // namespace haul::report
