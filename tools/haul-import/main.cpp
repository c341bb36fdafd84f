// haul-import: load the day's records into PostgreSQL.
#include "import/import_stage.hpp"

int main(int argc, char** argv) {
  haul::import::ImportStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
