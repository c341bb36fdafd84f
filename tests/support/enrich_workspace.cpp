#include "support/enrich_workspace.hpp"

#include <algorithm>

namespace haul::testing {

void EnrichWorkspace::write_input(const std::vector<std::string>& lines,
                                  std::string_view type) const {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  write_file(input(type), text);
}

void EnrichWorkspace::use_config(std::string_view enrich_json) {
  write_file(config_ / "enrich.json", enrich_json);
  ws_.config_dir = config_.path();
}

Command EnrichWorkspace::command(std::vector<std::string> args) const {
  if (std::find(args.begin(), args.end(), "--market-db") == args.end()) {
    args.insert(args.begin(), {"--market-db", "off"});
  }
  Command command = ws_.command_for("haul-enrich", args);
  // The connection comes from --db or the test's own variables only.
  for (const char* name :
       {"DATABASE_URL", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGPASSWORD"}) {
    command.env.emplace_back(name, std::nullopt);
  }
  return command;
}

std::string car(std::string_view make, std::string_view model, int year, int price,
                std::string_view extra) {
  std::string record = "{\"make\":\"" + std::string(make) + "\",\"model\":\"" + std::string(model) +
                       "\",\"year\":" + std::to_string(year);
  if (price > 0) record += ",\"price\":" + std::to_string(price);
  record += ",\"sourceName\":\"test-dealer\"";
  if (!extra.empty()) {
    record += ",";
    record += extra;
  }
  return record + ",\"_meta\":{\"source\":\"test-dealer\",\"type\":\"vehicles\"}}";
}

}  // namespace haul::testing
