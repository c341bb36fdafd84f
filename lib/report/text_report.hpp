#pragma once
// The report for a terminal or a cron mail: a title, then tables of the
// partitions, the stage files' details, the trend of records out per stage
// per day, the alerts and the notes. alerts_only (for --quiet) keeps just
// the firing alerts, so a quiet cron job mails only when one fires.

#include <string>

#include "report/pipeline_report.hpp"

namespace haul::report {

std::string render_text(const PipelineReport& report, bool alerts_only);

}  // namespace haul::report
