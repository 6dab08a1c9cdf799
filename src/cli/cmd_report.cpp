// aekit report --run DIR
// Writes DIR/report.html: one self-contained page with the run's config, loss conventions,
// metrics, loss curve and figures (report/html_report.h).
#include <cstdio>

#include "cli/commands.h"
#include "report/html_report.h"

namespace aekit::cli {
void add_report(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Write a run folder's self-contained report.html");
  auto run = std::make_shared<std::string>();
  cmd->add_option("--run", *run, "Run folder")->required();
  cmd->callback([run] { std::printf("wrote %s\n", report::write_html_report(*run).c_str()); });
}
}  // namespace aekit::cli
