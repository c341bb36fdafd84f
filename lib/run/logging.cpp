#include "run/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace haul::run {
namespace {

spdlog::sink_ptr make_stderr_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  const char* no_color = std::getenv("NO_COLOR");
  bool colour = ::isatty(STDERR_FILENO) && !(no_color && *no_color);
  sink->set_color_mode(colour ? spdlog::color_mode::always : spdlog::color_mode::never);
  sink->set_pattern("%^haul-%n %l:%$ %v");
  return sink;
}

}  // namespace

void setup_console_logging(const std::string& stage) {
  auto logger = std::make_shared<spdlog::logger>(stage, make_stderr_sink());
  spdlog::set_default_logger(logger);
}

void setup_logging(const std::string& stage, Verbosity verbosity,
                   const std::filesystem::path& logs_dir) {
  auto console = make_stderr_sink();
  console->set_level(verbosity == Verbosity::kQuiet     ? spdlog::level::err
                     : verbosity == Verbosity::kVerbose ? spdlog::level::debug
                                                        : spdlog::level::info);
  std::vector<spdlog::sink_ptr> sinks{console};
  std::string file_problem;
  try {
    std::filesystem::create_directories(logs_dir);
    auto stage_file =
        std::make_shared<spdlog::sinks::basic_file_sink_mt>((logs_dir / (stage + ".log")).string());
    stage_file->set_level(verbosity == Verbosity::kVerbose ? spdlog::level::debug
                                                           : spdlog::level::info);
    auto errors_file =
        std::make_shared<spdlog::sinks::basic_file_sink_mt>((logs_dir / "errors.log").string());
    errors_file->set_level(spdlog::level::warn);
    for (auto& sink : {stage_file, errors_file}) {
      sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z haul-%n[%P] %l: %v");
      sinks.push_back(sink);
    }
  } catch (const std::exception& e) {
    file_problem = e.what();
  }
  auto logger = std::make_shared<spdlog::logger>(stage, sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  if (!file_problem.empty()) spdlog::warn("log files disabled: {}", file_problem);
}

}  // namespace haul::run
