#pragma once
// The one assertion the fuzz targets use: a property that does not hold is a
// crash libFuzzer records (with the input), in every build type.

#include <cstdio>
#include <cstdlib>

namespace haul::fuzz {

inline void require(bool condition, const char* property) {
  if (condition) return;
  std::fprintf(stderr, "fuzz: property violated: %s\n", property);
  std::abort();
}

}  // namespace haul::fuzz
