// haul-scrape: fetch the declared sources into data/raw.
#include "scrape/scrape_stage.hpp"

int main(int argc, char** argv) {
  haul::scrape::ScrapeStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
