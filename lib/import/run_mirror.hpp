#pragma once
// Mirrors the run ledger (data/state/runs.jsonl) into pipeline_runs: the
// latest state of every run, so that whoever only sees the database can tell
// when each stage last ran and how it ended. `own` (the import run still in
// progress, whose final ledger line is written only after the stage returns)
// is mirrored in its final state.

#include <filesystem>
#include <optional>
#include <pqxx/connection>

#include "run/run_ledger.hpp"
#include "util/status.hpp"

namespace haul::import {

// The ledger entry of this process's running import of (date, type), if any.
std::optional<run::RunEntry> find_own_run(const std::filesystem::path& ledger,
                                          const std::string& date, const std::string& type);

Status mirror_runs(pqxx::connection& connection, const std::filesystem::path& ledger,
                   const std::optional<run::RunEntry>& own, std::uint64_t* mirrored = nullptr);

}  // namespace haul::import
