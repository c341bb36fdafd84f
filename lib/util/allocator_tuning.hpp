#pragma once
// glibc malloc settings for stages that allocate and free buffers of a
// megabyte or more for every block of records (record blocks, output lines).
//
// By default glibc serves an allocation above 128 KiB with its own mmap() and
// returns it to the kernel on free(), so each such buffer is faulted in page
// by page again; it raises that threshold only after a large mmapped chunk
// has been freed, so whether a stage paid this depended on the history of its
// allocations. Measured on 1,000,000 vehicles: haul-validate 1.78 -> 1.34 s,
// and haul-enrich's second pass 0.93 -> 2.4 s once its position tables
// stopped freeing large vectors (which had raised the threshold by accident).
// Fixing both thresholds makes it deliberate: buffers up to 32 MiB come from
// the heap and stay there, and up to 64 MiB of free heap is kept rather than
// given back and faulted in again.

namespace haul {

// Call once at start-up, before threads are started. False if glibc refused.
bool tune_allocator_for_blocks();

}  // namespace haul
