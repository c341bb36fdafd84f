#include "support/kill_series.hpp"

#include <signal.h>

#include <cstdlib>
#include <random>
#include <thread>

namespace haul::testing {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::strtoull(value, nullptr, 10) : fallback;
}

KillSeries run_kill_series(const Command& command, std::chrono::duration<double> duration,
                           int kills, std::uint32_t seed, const std::function<void()>& reset,
                           const std::function<bool(int, const ProcessResult&, const std::string&)>& check,
                           const KillStrike& strike) {
  std::mt19937 random(seed);
  KillSeries series;
  for (int k = 0; k < kills; ++k) {
    reset();
    const double fraction = (k + std::uniform_real_distribution<double>(0, 1)(random)) / kills * 1.3;
    const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(duration * fraction);
    BackgroundProcess process(command);
    if (strike) {
      strike(process, delay);
    } else {
      // The delay is the experiment, not a wait for a condition.
      std::this_thread::sleep_for(delay);
      process.kill(SIGKILL);
    }
    ProcessResult result = process.wait();
    if (result.term_signal == SIGKILL || result.exit_code == 128 + SIGKILL) {
      ++series.killed;
    } else {
      ++series.finished;
    }
    const std::string where = "kill " + std::to_string(k) + " after " +
                              std::to_string(delay.count() / 1000) + " ms (seed " +
                              std::to_string(seed) + ")";
    if (!check(k, result, where)) break;
  }
  return series;
}

}  // namespace haul::testing
