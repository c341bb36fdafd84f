// haul-report: the pipeline's figures, trends and alerts from the run ledger and stage reports.
#include "report/report_stage.hpp"

int main(int argc, char** argv) {
  haul::report::ReportStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
