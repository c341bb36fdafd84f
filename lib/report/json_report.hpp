#pragma once
// The report as one JSON object (haul-report --json), for scripts and jq:
//   {"dates", "types", "generated_at", "ledger": {path, runs, malformed_lines},
//    "partitions": [{date, stage, type, status, has_counts, records_in,
//                    records_out, rejected, pass_rate, duration_s, runs,
//                    failed_runs, exit_code, error, last_success_at}],
//    "last_success": {stage: RFC 3339 | null},
//    "details": [{date, type, stage, kind, key, count}],
//    "trends": {"days": [...], "stages": {stage: [{in, out, rejected,
//               rejection_rate, duration_s, failed} | null per day]}},
//    "alerts": [{name, rule, stage, type, date, state, firing, value,
//                threshold, message}], "firing", "notes"}
// Figures are exactly the ledger's and the report files'.

#include <string>

#include "report/pipeline_report.hpp"

namespace haul::report {

std::string render_json(const PipelineReport& report);

}  // namespace haul::report
