#pragma once
// The report as one self-contained HTML page: inline CSS and inline SVG
// charts, no script, no font, no image and no link to fetch, so it opens
// the same from a mail attachment, a file:// URL or an air-gapped host.
// Charts: records out per stage per day and rejection rate per stage per day
// over the trend window (one <path class="series" data-stage=…> per stage,
// broken on days without figures), and in/out/rejected per stage on the last
// date (one <rect> per bar); then the tables of the text report.

#include <string>

#include "report/pipeline_report.hpp"

namespace haul::report {

std::string render_html(const PipelineReport& report);

}  // namespace haul::report
