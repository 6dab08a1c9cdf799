// `aekit report`: one self-contained HTML page for a run folder, to mail or archive. It holds
// the config (pretty JSON), the loss conventions (the lines the trainer prints), the metrics
// table, the loss curve as inline SVG and every PNG in the folder as a base64 data: URI. It
// references nothing outside itself (no scripts, fonts or links to fetch).
#pragma once
#include <string>

namespace aekit::report {

// The page for the run in dir. A missing folder, config.json or model is an InputError.
std::string html_report(const std::string& dir);

// Writes dir/report.html atomically; returns its path.
std::string write_html_report(const std::string& dir);

}  // namespace aekit::report
