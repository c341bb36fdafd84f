#pragma once
// Temporaries of atomic writes (".<name>.tmp-<pid>-<n>", io::AtomicFile)
// left anywhere under the data root by writers that died. io::AtomicFile
// sweeps a directory's dead temporaries when it next writes there; this
// catches the directories nobody writes to again. A temporary is stale when
// it has not been modified for max_age_hours: a live writer touches its file
// as it goes, so a fresh one (even of a live pid) is left alone. Unlike
// retention, this age is wall-clock time: a temporary is a thing of the
// machine's present, not of a logical date.

#include <chrono>

#include "cleanup/action_log.hpp"
#include "io/data_layout.hpp"
#include "util/status.hpp"

namespace haul::cleanup {

Status remove_stale_temporaries(const io::DataLayout& layout, double max_age_hours,
                                std::chrono::system_clock::time_point now, ActionLog& log);

}  // namespace haul::cleanup
