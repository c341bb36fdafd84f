#pragma once
// Defaults for the APIs the original pipeline used, so a source declares
// only what is its own (a query, a dataset id). A source's own fields
// override its preset's. Secrets are ${VAR} references, never values:
//
//   apify-dataset       GET  api.apify.com/v2/datasets/${APIFY_DATASET_ID}/items, offset/limit,
//                            total from X-Apify-Pagination-Total, records: the top-level array
//   apify-run-sync      POST api.apify.com/v2/acts/${APIFY_ACTOR_ID}/run-sync-get-dataset-items,
//                            body: the actor input, one response
//   brave-web           GET  api.search.brave.com/res/v1/web/search?q={query}, /web/results,
//                            page index 0..9 of 20 results
//   brave-news          GET  api.search.brave.com/res/v1/news/search?q={query}, /results
//   tavily              POST api.tavily.com/search {"query": "{query}"}, /results
//   jina-reader         GET  r.jina.ai/{target}, /data (one record)
//   perplexity-search   POST api.perplexity.ai/search {"query": "{query}"}, /results
//   generic             nothing preset: everything comes from the source

#include <string_view>
#include <vector>

#include "source/fetch_spec.hpp"

namespace haul::source {

// Fills `spec` with the preset's defaults; false for an unknown name.
bool apply_preset(std::string_view name, FetchSpec& spec);
std::vector<std::string_view> preset_names();

}  // namespace haul::source
