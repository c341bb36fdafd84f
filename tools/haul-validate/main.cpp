// haul-validate: check raw listing records against their type's schema.
#include "validate/validate_stage.hpp"

int main(int argc, char** argv) {
  haul::validate::ValidateStage stage;
  return haul::run::run_stage(stage, argc, argv);
}
