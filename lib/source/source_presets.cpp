#include "source/source_presets.hpp"

namespace haul::source {
namespace {

void bearer(FetchSpec& spec, const char* variable) {
  spec.headers.emplace_back("Authorization", std::string("Bearer ${") + variable + "}");
}

void json_request(FetchSpec& spec) {
  spec.headers.emplace_back("Content-Type", "application/json");
  spec.headers.emplace_back("Accept", "application/json");
}

}  // namespace

std::vector<std::string_view> preset_names() {
  return {"generic",    "apify-dataset", "apify-run-sync", "brave-web",
          "brave-news", "tavily",        "jina-reader",    "perplexity-search"};
}

bool apply_preset(std::string_view name, FetchSpec& spec) {
  spec = FetchSpec();
  spec.preset = std::string(name);
  if (name == "generic") return true;
  if (name == "apify-dataset") {
    spec.url =
        "https://api.apify.com/v2/datasets/${APIFY_DATASET_ID}/items"
        "?format=json&clean=1&offset={offset}&limit={limit}";
    bearer(spec, "APIFY_TOKEN");
    spec.pagination.kind = PaginationKind::kOffset;
    spec.pagination.first = 0;
    spec.pagination.page_size = 1000;
    spec.pagination.total_header = "X-Apify-Pagination-Total";
    return true;
  }
  if (name == "apify-run-sync") {
    // Apify answers 408 run-timeout-exceeded after 300 s: a retryable status.
    spec.method = "POST";
    spec.url =
        "https://api.apify.com/v2/acts/${APIFY_ACTOR_ID}/run-sync-get-dataset-items"
        "?format=json&clean=1";
    bearer(spec, "APIFY_TOKEN");
    json_request(spec);
    spec.body = "{}";
    spec.timeout_s = 320;
    spec.retry.max_retries = 1;
    return true;
  }
  if (name == "brave-web" || name == "brave-news") {
    bool web = name == "brave-web";
    spec.url = std::string("https://api.search.brave.com/res/v1/") + (web ? "web" : "news") +
               "/search?q={query}&count=20&offset={page}";
    spec.headers.emplace_back("X-Subscription-Token", "${BRAVE_API_KEY}");
    spec.headers.emplace_back("Accept", "application/json");
    spec.records_pointer = web ? "/web/results" : "/results";
    spec.pagination.kind = PaginationKind::kPage;
    spec.pagination.first = 0;  // Brave's offset is a page index, at most 9
    spec.pagination.page_size = 20;
    spec.pagination.max_pages = 10;
    spec.politeness.requests_per_second = 1;
    return true;
  }
  if (name == "tavily") {
    spec.method = "POST";
    spec.url = "https://api.tavily.com/search";
    bearer(spec, "TAVILY_API_KEY");
    json_request(spec);
    spec.body = R"({"query":"{query}","topic":"news","max_results":20})";
    spec.records_pointer = "/results";
    return true;
  }
  if (name == "jina-reader") {
    spec.url = "https://r.jina.ai/{target}";
    spec.headers.emplace_back("Accept", "application/json");
    spec.records_pointer = "/data";
    return true;
  }
  if (name == "perplexity-search") {
    spec.method = "POST";
    spec.url = "https://api.perplexity.ai/search";
    bearer(spec, "PERPLEXITY_API_KEY");
    json_request(spec);
    spec.body = R"({"query":"{query}","max_results":20})";
    spec.records_pointer = "/results";
    return true;
  }
  return false;
}

}  // namespace haul::source
