#include "run/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace haul::run {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(200);
constexpr int kBarWidth = 24;

std::string human_count(std::uint64_t n) {
  if (n >= 1'000'000) return fmt::format("{:.1f}M", static_cast<double>(n) / 1e6);
  if (n >= 10'000) return fmt::format("{:.0f}k", static_cast<double>(n) / 1e3);
  return std::to_string(n);
}

}  // namespace

bool progress_wanted(bool quiet) { return !quiet && ::isatty(STDERR_FILENO); }

Progress::Progress(std::string label, std::uint64_t total_bytes, bool enabled, std::FILE* out)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      enabled_(enabled),
      out_(out),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

Progress::~Progress() {
  if (enabled_ && drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
  }
}

void Progress::advance(std::uint64_t bytes, std::uint64_t records) {
  done_bytes_ += bytes;
  records_ += records;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  draw();
}

void Progress::draw() {
  double seconds = std::chrono::duration<double>(last_draw_ - started_).count();
  std::string line = render(label_, done_bytes_, total_bytes_, records_, seconds);
  std::fprintf(out_, "\r%s\033[K", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

std::string Progress::render(const std::string& label, std::uint64_t done_bytes,
                             std::uint64_t total_bytes, std::uint64_t records, double seconds) {
  double fraction =
      total_bytes == 0
          ? 1.0
          : std::min(1.0, static_cast<double>(done_bytes) / static_cast<double>(total_bytes));
  int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  double rate = seconds > 0 ? static_cast<double>(done_bytes) / 1e6 / seconds : 0;
  return fmt::format("{} [{}] {:3.0f}%  {} records  {:.0f} MB/s", label, bar, fraction * 100,
                     human_count(records), rate);
}

}  // namespace haul::run
