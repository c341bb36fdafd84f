#pragma once
// Retention of the dated areas (raw/, processed/, failed/) and of the
// archives. A date directory more than the area's retention days before the
// logical date is due: all due areas of a date go into data/archive/D.tar.gz
// (archive_file.hpp: merged with what is already there, verified before
// anything is removed), and only then are the originals deleted, each only
// if it is unchanged since it was read. A date some haul run holds a lock for,
// or with a temporary of a live writer inside, is in use and left alone.
// Archives more than archive_days before the logical date are deleted.
//
// Ages are counted from the logical date, never the clock, so a backfill or a
// test gives the same answer on any day.

#include "cleanup/action_log.hpp"
#include "cleanup/cleanup_config.hpp"
#include "io/data_layout.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::cleanup {

// data/archive/<date>.tar.gz
std::filesystem::path archive_path(const io::DataLayout& layout, const Date& date);

// Archives every due date. Carries on past a date that fails (its originals
// stay) and returns the first failure.
Status archive_due_dates(const io::DataLayout& layout, const Date& logical,
                         const RetentionConfig& config, ActionLog& log);

// Deletes archives older than config.archive_days.
Status expire_archives(const io::DataLayout& layout, const Date& logical,
                       const RetentionConfig& config, ActionLog& log);

// True when a lock file of some stage for `date` is held by a live process.
bool date_locked(const io::DataLayout& layout, const Date& date);

}  // namespace haul::cleanup
