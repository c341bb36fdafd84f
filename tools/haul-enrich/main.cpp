// haul-enrich: add grades, regions, coordinates and market data to deduplicated listings.
#include "enrich/enrich_stage.hpp"

int main(int argc, char** argv) {
  haul::enrich::EnrichStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
