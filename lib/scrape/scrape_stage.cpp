#include "scrape/scrape_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

#include "http/client.hpp"
#include "http/robots.hpp"
#include "http/robots_fetch.hpp"
#include "io/json_writer.hpp"
#include "scrape/raw_writer.hpp"
#include "scrape/source_run.hpp"
#include "source/request_template.hpp"
#include "util/clock.hpp"

namespace haul::scrape {
namespace fs = std::filesystem;

namespace {

// Reads robots.txt of every origin the sources that honour it will visit.
std::map<std::string, http::RobotsRules> read_robots(
    http::Client& client, const std::vector<std::unique_ptr<SourceRun>>& runs,
    const std::string& user_agent) {
  std::map<std::string, std::string> origins;  // -> CA bundle
  for (const auto& run : runs) {
    if (!run->spec().fetch.politeness.robots) continue;
    origins.emplace(http::Client::origin_of(run->first_url()), run->spec().fetch.ca_bundle);
  }
  return http::fetch_robots(client, origins, user_agent);
}

}  // namespace

std::string ScrapeStage::description() const {
  return "Fetch the sources declared in config/sources.json for a date into "
         "raw/D/<type>/<source>_NNN.json, with per-source counts in raw/D/<type>/meta.json.";
}

void ScrapeStage::add_options(CLI::App& app) {
  CLI::Option* source =
      app.add_option("--source", only_source_, "Scrape only this source (by name)");
  app.add_flag("--retry-failed", retry_failed_,
               "Scrape again only the sources that failed or were partial in the date's "
               "meta.json; the others' raw files stay as they are (haul-run does this for a date "
               "already scraped)")
      ->excludes(source);
}

Status ScrapeStage::prepare(const run::StageContext& context) {
  sources_path_ = fs::path(context.options.config_dir) / "sources.json";
  if (!fs::exists(sources_path_)) {
    return Status::error(ExitCode::kConfig, fmt::format("{} does not exist: no sources to scrape",
                                                        sources_path_.string()));
  }
  if (Status s = source::SourceCatalog::load(sources_path_, catalog_); !s.is_ok()) return s;
  if (!only_source_.empty()) {
    const source::SourceSpec* spec = catalog_.find(only_source_);
    if (!spec) {
      return Status::error(ExitCode::kUsage, fmt::format("--source {}: no such source in {}",
                                                         only_source_, sources_path_.string()));
    }
    if (!spec->fetch.fetchable()) {
      return Status::error(ExitCode::kUsage,
                           fmt::format("--source {}: the source has no url (its raw files arrive "
                                       "by other means)",
                                       only_source_));
    }
  }
  // Every secret the selected sources need must be there before any request.
  for (const std::string& type :
       context.options.types.empty()
           ? std::vector<std::string>(io::kRecordTypes.begin(), io::kRecordTypes.end())
           : context.options.types) {
    for (const source::SourceSpec* spec : selected(type)) {
      std::vector<std::string> patterns{spec->fetch.url, spec->fetch.body};
      for (const auto& header : spec->fetch.headers) patterns.push_back(header.second);
      for (const std::string& pattern : patterns) {
        for (const std::string& variable : source::env_references(pattern)) {
          if (!std::getenv(variable.c_str())) {
            return Status::error(ExitCode::kConfig,
                                 fmt::format("source {} needs the environment variable {}, "
                                             "which is not set",
                                             spec->name, variable));
          }
        }
      }
    }
  }
  return Status::ok();
}

std::vector<const source::SourceSpec*> ScrapeStage::selected(const std::string& type) const {
  std::vector<const source::SourceSpec*> out;
  for (const source::SourceSpec& spec : catalog_.sources()) {
    if (spec.type != type || !spec.fetch.fetchable()) continue;
    if (only_source_.empty() ? spec.enabled : spec.name == only_source_) out.push_back(&spec);
  }
  return out;
}

std::vector<std::string> ScrapeStage::types_with_input(const run::StageContext&,
                                                       const Date&) const {
  std::vector<std::string> types;
  for (std::string_view type : io::kRecordTypes) {
    if (!selected(std::string(type)).empty()) types.emplace_back(type);
  }
  return types;
}

std::string ScrapeStage::input_location(const run::StageContext&, const Date&) const {
  return fmt::format("{} (enabled sources with a url)", sources_path_.string());
}

run::PartitionResult ScrapeStage::run(const run::StageContext& context, const Date& date,
                                      const std::string& type) {
  run::PartitionResult result;
  std::vector<const source::SourceSpec*> specs = selected(type);
  if (specs.empty()) {
    result.exit_code = ExitCode::kNoInput;
    result.error =
        fmt::format("no enabled source of type {} with a url in {}", type, sources_path_.string());
    return result;
  }
  // In a retry: the sources left as they were, which still count for the
  // date (the ledger's figures are the date's, not the retry's), and how
  // many of them have data.
  run::RecordCounts kept;
  int kept_with_data = 0;
  if (retry_failed_) {
    const std::map<std::string, SourceOutcome> earlier =
        read_source_outcomes(context.layout.raw_dir(date, type));
    std::vector<const source::SourceSpec*> retried;
    for (const source::SourceSpec* spec : specs) {
      auto outcome = earlier.find(spec->name);
      if (outcome == earlier.end()) continue;  // never scraped for the date: not a retry
      const std::string& status = outcome->second.status;
      if (status == "failed" || status == "partial") {
        retried.push_back(spec);
      } else {
        kept.in += outcome->second.records;
        kept.out += outcome->second.records;
      }
      // A retried partial source keeps its earlier pages if it fails again.
      if (status == "ok" || status == "partial") ++kept_with_data;
    }
    if (retried.empty()) {
      result.skipped = true;
      result.counts = kept;
      result.summary = "no failed source to retry";
      return result;
    }
    specs = std::move(retried);
  }
  RunSettings settings{date, &context.layout, utc_now()};
  std::vector<std::unique_ptr<SourceRun>> runs;
  for (const source::SourceSpec* spec : specs) {
    auto run = std::make_unique<SourceRun>(*spec, settings);
    if (Status s = run->prepare(); !s.is_ok()) {
      result.exit_code = s.code();
      result.error = s.message();
      return result;
    }
    runs.push_back(std::move(run));
  }

  if (context.options.dry_run) {
    for (const auto& run : runs) {
      std::printf("haul-scrape %s %s %s: %s\n", date.to_string().c_str(), type.c_str(),
                  run->spec().name.c_str(), run->describe_first_request().c_str());
    }
    result.summary = fmt::format("dry run: {} sources, nothing fetched", runs.size());
    return result;
  }

  const source::ScrapeSettings& scrape = catalog_.scrape_settings();
  http::Client::Options client_options;
  client_options.max_in_flight = scrape.concurrency;
  client_options.user_agent = scrape.full_user_agent();
  http::Client client(client_options);
  RawWriter writer(8, 128);
  std::map<std::string, http::RobotsRules> robots =
      read_robots(client, runs, client_options.user_agent);
  for (const auto& run : runs) {
    const http::RobotsRules* rules = nullptr;
    if (run->spec().fetch.politeness.robots) {
      auto it = robots.find(http::Client::origin_of(run->first_url()));
      if (it != robots.end()) rules = &it->second;
    }
    run->start(client, writer, rules);
  }
  client.run();
  writer.drain();

  std::map<std::string, std::string> source_json;
  std::vector<std::string> failed;
  std::string details;
  io::JsonWriter json(details);
  json.begin_object();
  json.key("sources");
  json.begin_object();
  std::uint64_t pages = 0, requests = 0;
  for (const auto& run : runs) {
    run->finish();
    const SourceStats& stats = run->stats();
    source_json[run->spec().name] = stats.to_json();
    json.key(run->spec().name);
    json.raw(source_json[run->spec().name]);
    result.counts.in += stats.records;
    result.counts.out += stats.records;
    pages += stats.pages;
    requests += stats.requests;
    if (stats.failed()) {
      failed.push_back(run->spec().name);
      ++sources_failed_;
    } else {
      ++sources_succeeded_;
    }
    // A source that yielded nothing is an error line even when others worked
    // (exit 0): under cron's -q it is the only sign, and it should mail.
    spdlog::log(stats.failed() ? spdlog::level::err : spdlog::level::info,
                "{}: {}: {} records in {} pages, {} requests, {} retries, {} errors{}",
                run->spec().name, stats.status, stats.records, stats.pages, stats.requests,
                stats.retries, stats.errors.size(),
                stats.errors.empty() ? std::string()
                                     : fmt::format(" (last: {})", stats.errors.back().reason));
  }
  json.end_object();
  json.end_object();
  result.details = details;
  if (Status s = write_meta(context.layout.raw_dir(date, type), date, type, source_json);
      !s.is_ok()) {
    result.exit_code = s.code();
    result.error = s.message();
    return result;
  }
  result.counts.in += kept.in;
  result.counts.out += kept.out;
  result.summary = fmt::format(
      "{} sources{}, {} records in {} pages, {} requests{}", runs.size(),
      retry_failed_ ? " retried" : "", result.counts.out - kept.out, pages, requests,
      failed.empty() ? std::string() : fmt::format("; failed: {}", fmt::join(failed, ", ")));
  if (failed.size() == runs.size() && kept_with_data > 0) {
    // A retry that failed again: the date keeps the other sources' data,
    // and the next retry may do better. The error lines above tell cron.
    result.summary += "; failed again, kept as they were";
  } else if (failed.size() == runs.size()) {
    result.exit_code = ExitCode::kUnavailable;
    result.error =
        fmt::format("every source failed: {} (see {})", fmt::join(failed, ", "),
                    context.layout.relative(context.layout.raw_dir(date, type) / "meta.json"));
  }
  return result;
}

ExitCode ScrapeStage::final_exit_code(ExitCode combined) const {
  // Some source worked: failures of others are reported, not fatal.
  if (combined == ExitCode::kUnavailable && sources_succeeded_ > 0) return ExitCode::kOk;
  return combined;
}

}  // namespace haul::scrape
