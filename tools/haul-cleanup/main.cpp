// haul-cleanup: retention, archives, stale temporaries and runs, database upkeep.
#include "cleanup/cleanup_stage.hpp"

int main(int argc, char** argv) {
  haul::cleanup::CleanupStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
