#include "support/import_workspace.hpp"

#include <algorithm>

#include "support/validate_workspace.hpp"

namespace haul::testing {

std::filesystem::path ImportWorkspace::processed_dir(std::string_view type,
                                                     std::string_view date) const {
  return root() / "data" / "processed" / std::string(date) / std::string(type);
}

std::filesystem::path ImportWorkspace::failed_dir(std::string_view type,
                                                  std::string_view date) const {
  return root() / "data" / "failed" / std::string(date) / std::string(type);
}

void ImportWorkspace::write_input(const std::vector<std::string>& lines, std::string_view type,
                                  std::string_view file, std::string_view date) const {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  write_file(processed_dir(type, date) / std::string(file), text);
}

Command ImportWorkspace::command(std::vector<std::string> args, bool use_db_flag) const {
  Command command;
  command.program = haul_executable("haul-import");
  command.args = {"--data-dir", (root() / "data").string(), "--config", repo_config_dir().string()};
  bool has_date = std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--date" || a == "--from" || a == "--to";
  });
  if (!has_date) {
    command.args.push_back("--date");
    command.args.push_back(std::string(kDate));
  }
  if (use_db_flag) {
    command.args.push_back("--db");
    command.args.push_back(conninfo_);
    command.env.push_back({"DATABASE_URL", std::nullopt});
  } else {
    command.env.push_back({"DATABASE_URL", conninfo_});
  }
  for (const char* name : {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER"}) {
    command.env.push_back({name, std::nullopt});
  }
  command.args.insert(command.args.end(), args.begin(), args.end());
  return command;
}

std::string vehicle_record(int n, int price, std::string_view extra) {
  std::string record =
      "{\"make\":\"Toyota\",\"model\":\"Corolla\",\"year\":" + std::to_string(2000 + n % 25) +
      ",\"price\":" + std::to_string(price) + ",\"mileage\":" + std::to_string(1000 * n) +
      ",\"description\":\"Car number " + std::to_string(n) +
      ", runs well\",\"sourceName\":\"test-dealer\",\"sourceUrl\":"
      "\"https://dealer.example.com/cars/" +
      std::to_string(n) + "\",\"stockNumber\":\"S-" + std::to_string(n) + "\"";
  if (!extra.empty()) {
    record += ",";
    record += extra;
  }
  return record + ",\"_meta\":{\"source\":\"test-dealer\",\"type\":\"vehicles\"}}";
}

}  // namespace haul::testing
