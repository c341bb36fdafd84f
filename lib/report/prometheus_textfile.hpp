#pragma once
// The report as a node_exporter textfile (text exposition format 0.0.4), for
// the textfile collector to pick up: write it with io::write_file_atomically
// into the collector's directory, so a scrape never sees half a file.
//
//   haul_report_generated_timestamp_seconds            when this file was made
//   haul_<stage>_last_success_timestamp_seconds        any date, any type
//   haul_<stage>_duration_seconds{type}                the last selected date
//   haul_<stage>_records{kind="in|out|rejected",type}  the last selected date
//   haul_<stage>_last_run_failed{type}                 1 when its last run failed
//   haul_report_detail{stage,type,kind,key}            the stage files' figures
//   haul_alert_firing{alert,stage}                     1 firing, 0 not (last date)
//   haul_alerts_firing                                 how many fire
// Every family has its HELP and TYPE lines (all are gauges) and its samples
// together; stage names are reduced to [a-z0-9_] for metric names.

#include <string>

#include "report/pipeline_report.hpp"

namespace haul::report {

std::string render_prometheus(const PipelineReport& report);

}  // namespace haul::report
