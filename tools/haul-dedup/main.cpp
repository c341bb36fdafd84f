// haul-dedup: remove exact and near-duplicate records of validated listings.
#include "dedup/dedup_stage.hpp"

int main(int argc, char** argv) {
  haul::dedup::DedupStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
