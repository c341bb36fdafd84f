#include "report/html_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "report/figures.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* stage_colour(std::size_t i) {
  static const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                   "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  return kColours[i % (sizeof kColours / sizeof *kColours)];
}

constexpr double kWidth = 1100, kHeight = 320, kLeft = 70, kRight = 20, kTop = 20, kBottom = 60;

// A round tick step (1, 2, 2.5 or 5 times a power of ten) for about four
// intervals up to `max`.
double tick_step(double max) {
  if (max <= 0) return 1;
  const double rough = max / 4;
  const double magnitude = std::pow(10, std::floor(std::log10(rough)));
  for (double step : {1.0, 2.0, 2.5, 5.0}) {
    if (step * magnitude >= rough) return step * magnitude;
  }
  return 10 * magnitude;
}

// Horizontal grid lines with their labels, every `step` up to `top`.
std::string y_grid(double top, double step, double plot_h, bool percent) {
  std::string svg;
  for (double v = 0; v <= top + step / 2; v += step) {
    const double y = kTop + plot_h * (1 - v / top);
    const double shown = std::round(v * 100) / 100;
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>"
        "<text class=\"axis\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}{}</text>\n",
        kLeft, y, kWidth - kRight, y, kLeft - 6, y + 4, shown, percent ? "%" : "");
  }
  return svg;
}

struct Series {
  std::string name;
  std::vector<std::optional<double>> values;  // one per day
};

std::string line_chart(const std::string& id, const std::string& title,
                       const std::vector<std::string>& days, const std::vector<Series>& series,
                       bool percent) {
  double max = 0;
  for (const Series& s : series) {
    for (const auto& v : s.values) max = std::max(max, v.value_or(0));
  }
  const double step = tick_step(percent ? std::max(max, 1.0) : max);
  const double top = step * std::max(1.0, std::ceil(max / step));
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto x = [&](std::size_t i) {
    return kLeft + (days.size() > 1 ? plot_w * static_cast<double>(i) / (days.size() - 1) : 0);
  };
  auto y = [&](double v) { return kTop + plot_h * (1 - v / top); };
  auto label = [&](double v) {
    return percent ? fmt::format("{}%", std::round(v * 100) / 100) : fmt::format("{}", v);
  };
  const double height = kHeight + 20 * static_cast<double>((series.size() + 5) / 6);

  std::string svg = fmt::format(
      "<figure><figcaption>{}</figcaption>\n<svg id=\"{}\" class=\"chart\" "
      "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-label=\"{}\">\n",
      escape(title), id, kWidth, height, kWidth, height, escape(title));
  svg += y_grid(top, step, plot_h, percent);
  const std::size_t every = std::max<std::size_t>(1, (days.size() + 9) / 10);
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i % every != 0 && i + 1 != days.size()) continue;
    svg += fmt::format(
        "<text class=\"axis\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x(i),
        kHeight - kBottom + 18, escape(days[i].substr(5)));
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string d;
    bool pen_down = false;
    std::string points;
    for (std::size_t i = 0; i < series[s].values.size(); ++i) {
      const auto& v = series[s].values[i];
      if (!v) {
        pen_down = false;
        continue;
      }
      d += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", x(i), y(*v));
      pen_down = true;
      points += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>",
          x(i), y(*v), stage_colour(s), escape(series[s].name), days[i], escape(label(*v)));
    }
    if (!d.empty()) d.pop_back();
    svg += fmt::format(
        "<path class=\"series\" data-stage=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"2\"/>\n{}\n",
        escape(series[s].name), d, stage_colour(s), points);
    const double lx = kLeft + 170.0 * static_cast<double>(s % 6);
    const double ly = kHeight - 10 + 20.0 * static_cast<double>(s / 6);
    svg += fmt::format(
        "<rect class=\"legend\" x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\"/>"
        "<text class=\"legend\" x=\"{}\" y=\"{}\">{}{}</text>\n",
        lx, ly - 11, stage_colour(s), lx + 20, ly, escape(series[s].name),
        d.empty() ? " (no figures)" : "");
  }
  svg += "</svg></figure>\n";
  return svg;
}

// in, out and rejected of each stage on the last date, one group of bars per stage.
std::string bar_chart(const PipelineReport& r) {
  const std::string& last = r.trends.days.back();
  struct Group {
    std::string stage;
    run::RecordCounts counts;
  };
  std::vector<Group> groups;
  double max = 0;
  for (const StageTrend& s : r.trends.stages) {
    const DayTotals& t = s.days.back();
    if (!t.has_counts) continue;
    groups.push_back({s.stage, t.counts});
    max = std::max(max, static_cast<double>(t.counts.in));
  }
  if (groups.empty()) {
    return fmt::format("<p class=\"empty\">No completed run on {}.</p>\n", last);
  }
  const double step = tick_step(max);
  const double top = step * std::max(1.0, std::ceil(max / step));
  const double plot_h = kHeight - kTop - kBottom;
  const double group_w = (kWidth - kLeft - kRight) / static_cast<double>(groups.size());
  const double bar_w = std::min(40.0, group_w / 4);
  std::string svg = fmt::format(
      "<figure><figcaption>Records in, out and rejected per stage on {}</figcaption>\n"
      "<svg id=\"bars\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" role=\"img\">\n",
      last, kWidth, kHeight, kWidth, kHeight);
  svg += y_grid(top, step, plot_h, false);
  const char* kinds[] = {"in", "out", "rejected"};
  const char* colours[] = {"#4e79a7", "#59a14f", "#e15759"};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::uint64_t values[] = {groups[g].counts.in, groups[g].counts.out,
                                    groups[g].counts.rejected};
    const double x0 = kLeft + group_w * static_cast<double>(g) + (group_w - 3 * bar_w) / 2;
    for (int k = 0; k < 3; ++k) {
      const double h = plot_h * static_cast<double>(values[k]) / top;
      svg += fmt::format(
          "<rect class=\"bar\" data-stage=\"{}\" data-kind=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" "
          "width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{} {}: {}</title></rect>\n",
          escape(groups[g].stage), kinds[k], x0 + bar_w * k, kTop + plot_h - h, bar_w, h,
          colours[k], escape(groups[g].stage), kinds[k], values[k]);
    }
    svg += fmt::format("<text class=\"axis\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       x0 + 1.5 * bar_w, kHeight - kBottom + 18, escape(groups[g].stage));
  }
  for (int k = 0; k < 3; ++k) {
    const double lx = kLeft + 120.0 * k;
    svg += fmt::format(
        "<rect class=\"legend\" x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\"/>"
        "<text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>\n",
        lx, kHeight - 24, colours[k], lx + 20, kHeight - 13, kinds[k]);
  }
  svg += "</svg></figure>\n";
  return svg;
}

std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, const std::string& id,
                  const std::vector<std::string>& row_classes = {}) {
  std::string html = fmt::format("<table id=\"{}\"><thead><tr>", id);
  for (const std::string& h : header) html += "<th>" + escape(h) + "</th>";
  html += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    html += i < row_classes.size() && !row_classes[i].empty()
                ? "<tr class=\"" + row_classes[i] + "\">"
                : "<tr>";
    for (const std::string& cell : rows[i]) html += "<td>" + escape(cell) + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody></table>\n";
  return html;
}

constexpr const char* kStyle = R"(
body{font-family:sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
td:nth-child(n+4){font-variant-numeric:tabular-nums}
tr.firing td,tr.failed td{background:#fde2e2}tr.ok td{background:#e6f4e6}
.chart{max-width:100%;height:auto;background:#fafafa;border:1px solid #ddd}
.grid{stroke:#ddd;stroke-width:1}text.axis,text.legend{font-size:12px;fill:#444}
figure{margin:12px 0}figcaption{font-weight:bold;margin-bottom:4px}
.summary.firing{color:#b00020;font-weight:bold}.summary.ok{color:#1b5e20}
)";

}  // namespace

std::string render_html(const PipelineReport& r) {
  const std::string dates =
      r.dates.size() == 1 ? r.dates.front() : r.dates.front() + " to " + r.dates.back();
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>haul report {}</title><style>{}</style></head><body>\n"
      "<h1>haul report {}</h1>\n<p>Generated {} from {} ({} runs).</p>\n",
      escape(dates), kStyle, escape(dates), format_utc(r.now), escape(r.ledger_path),
      r.ledger_runs);
  const std::size_t firing = r.firing();
  html += fmt::format("<p class=\"summary {}\">{} alert(s) firing of {} evaluated.</p>\n",
                      firing ? "firing" : "ok", firing, r.alerts.size());

  html += "<h2>Trends</h2>\n";
  std::vector<Series> out_series, rejection_series;
  for (const StageTrend& s : r.trends.stages) {
    Series out{s.stage, {}}, rejection{s.stage, {}};
    for (const DayTotals& t : s.days) {
      out.values.push_back(t.has_counts ? std::optional<double>(t.counts.out) : std::nullopt);
      rejection.values.push_back(t.has_counts && t.counts.in > 0
                                     ? std::optional<double>(100 * t.rejection_rate())
                                     : std::nullopt);
    }
    out_series.push_back(std::move(out));
    rejection_series.push_back(std::move(rejection));
  }
  html += line_chart("records-chart", "Records out per stage per day", r.trends.days, out_series,
                     false);
  html += line_chart("rejection-chart", "Rejection rate per stage per day (rejected / in)",
                     r.trends.days, rejection_series, true);
  html += bar_chart(r);

  html += "<h2>Stages</h2>\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const PartitionSummary& p : r.partitions) {
    rows.push_back({p.date, p.stage, p.type, p.status, count_text(p, p.counts.in),
                    count_text(p, p.counts.out), count_text(p, p.counts.rejected),
                    pass_rate_text(p), duration_text(p), std::to_string(p.runs),
                    std::to_string(p.failed_runs)});
    classes.push_back(p.last_run_failed() ? "failed" : "");
  }
  html += rows.empty() ? "<p class=\"empty\">No runs in the ledger for these dates.</p>\n"
                       : table({"date", "stage", "type", "status", "in", "out", "rejected", "pass",
                                "duration", "runs", "failed"},
                               rows, "stages", classes);

  html += "<h2>Alerts</h2>\n";
  rows.clear();
  classes.clear();
  for (const Alert& a : r.alerts) {
    rows.push_back({a.name, alert_state(a), a.stage.empty() ? "-" : a.stage,
                    a.date.empty() ? "-" : a.date, number_text(a.value), number_text(a.threshold),
                    a.message});
    classes.push_back(a.firing ? "firing" : a.evaluated ? "ok" : "");
  }
  html += table({"alert", "state", "stage", "date", "value", "threshold", "detail"}, rows,
                "alerts", classes);

  if (!r.files.facts.empty()) {
    html += "<h2>Details from the stages' report files</h2>\n";
    rows.clear();
    for (const Fact& f : r.files.facts) {
      rows.push_back({f.date, f.type, f.stage, f.kind, f.key, std::to_string(f.count)});
    }
    html += table({"date", "type", "stage", "kind", "key", "count"}, rows, "details");
  }
  if (!r.notes.empty()) {
    html += "<h2>Notes</h2>\n<ul>\n";
    for (const std::string& note : r.notes) html += "<li>" + escape(note) + "</li>\n";
    html += "</ul>\n";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace haul::report
