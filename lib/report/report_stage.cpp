#include "report/report_stage.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "io/atomic_file.hpp"
#include "report/html_page.hpp"
#include "report/json_report.hpp"
#include "report/pipeline_report.hpp"
#include "report/prometheus_textfile.hpp"
#include "report/text_report.hpp"
#include "util/clock.hpp"

namespace haul::report {

namespace fs = std::filesystem;

std::string ReportStage::description() const {
  return "Report on the pipeline for a date or a range from the run ledger and the stages' "
         "report files: records in/out/rejected, pass rates, durations, errors by code, trends "
         "and alerts (exit 65 when one fires); as text, --json, a Prometheus textfile or an "
         "HTML page.";
}

void ReportStage::add_options(CLI::App& app) {
  app.add_option("--prometheus", prometheus_path_,
                 "Also write the report as a node_exporter textfile (e.g. "
                 "/var/lib/prometheus/node-exporter/haul.prom), atomically");
  app.add_option("--html", html_path_,
                 "Also write the report as a self-contained HTML page with charts, atomically");
  app.add_option("--now", now_option_,
                 "The time the staleness rules measure against, as YYYY-MM-DDTHH:MM:SS[.fff]Z "
                 "(default: the clock)");
}

Status ReportStage::prepare(const run::StageContext& context) {
  now_ = std::chrono::system_clock::now();
  if (!now_option_.empty()) {
    auto parsed = parse_utc(now_option_);
    if (!parsed) {
      return Status::error(ExitCode::kUsage,
                           fmt::format("--now needs YYYY-MM-DDTHH:MM:SS[.fff]Z (UTC), got '{}'",
                                       now_option_));
    }
    now_ = *parsed;
  }
  return load_report_config(fs::path(context.options.config_dir) / "report.json", config_);
}

std::vector<std::string> ReportStage::types_with_input(const run::StageContext&,
                                                       const Date&) const {
  return {whole_selection_type()};
}

std::string ReportStage::input_location(const run::StageContext& context, const Date&) const {
  return context.layout.ledger_path().string();
}

run::PartitionResult ReportStage::run(const run::StageContext& context, const Date&,
                                      const std::string&) {
  run::PartitionResult result;
  const run::CommonOptions& options = context.options;
  ReportRequest request;
  request.dates = options.dates;
  request.types.insert(options.types.begin(), options.types.end());
  request.now = now_;
  request.config = config_;
  PipelineReport report;
  if (Status s = build_report(context.layout, request, report); !s.is_ok()) {
    result.exit_code = s.code();
    result.error = s.message();
    return result;
  }

  if (!options.dry_run) {
    for (const auto& [path, render] :
         {std::pair{prometheus_path_, &render_prometheus}, std::pair{html_path_, &render_html}}) {
      if (path.empty()) continue;
      if (Status s = io::write_file_atomically(path, render(report)); !s.is_ok()) {
        result.exit_code = s.code();
        result.error = s.message();
        return result;
      }
    }
  }

  const std::string text = options.json ? render_json(report) : render_text(report, options.quiet);
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);

  const std::size_t firing = report.firing();
  result.counts = {report.alerts.size(), report.alerts.size() - firing, firing};
  if (firing > 0) {
    std::string names;
    for (const Alert& a : report.alerts) {
      if (!a.firing) continue;
      names += fmt::format("{}{}{}{}", names.empty() ? "" : ", ", a.name,
                           a.stage.empty() ? "" : "/" + a.stage, a.date.empty() ? "" : " " + a.date);
    }
    result.exit_code = ExitCode::kDataError;
    result.error = fmt::format("{} alert(s) firing: {}", firing, names);
  }
  result.summary.clear();  // the report itself is the output
  return result;
}

}  // namespace haul::report
