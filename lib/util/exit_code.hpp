#pragma once
// Process exit codes, from sysexits(3), shared by every haul tool so that cron
// wrappers and scripts can react to the kind of failure, not just to "non-zero".

namespace haul {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 64,        // bad command line
  kDataError = 65,    // input data failed a gate (e.g. --max-reject-rate)
  kNoInput = 66,      // input that was required is missing
  kUnavailable = 69,  // a service (database, HTTP source) failed after retries
  kSoftware = 70,     // internal error: a bug
  kCantCreate = 73,   // cannot create or write an output file
  kIoError = 74,      // reading an input file failed
  kTempFail = 75,     // try again later: another instance holds the lock
  kConfig = 78,       // configuration is missing or invalid
};

// Which of two outcomes a multi-partition run reports: the more severe one.
// Operational failures outrank the data-quality gate, which outranks a
// merely missing input, which outranks success.
ExitCode more_severe(ExitCode a, ExitCode b);

}  // namespace haul
