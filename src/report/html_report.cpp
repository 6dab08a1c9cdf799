#include "report/html_report.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "io/atomic_file.h"
#include "io/base64.h"
#include "report/run_figures.h"
#include "run/load_run.h"
#include "run/loss_conventions.h"
#include "tensor/error.h"

namespace aekit::report {

namespace {

namespace fs = std::filesystem;

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) parts.push_back(cur);
  return parts;
}

// metrics.csv as a table, cells as the trainer wrote them (no re-rounding).
std::string metrics_table(const std::string& csv_text) {
  std::string out = "<div class=\"wide\"><table>\n";
  bool header = true;
  for (std::string line : split(csv_text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    out += "<tr>";
    for (const std::string& cell : split(line, ','))
      out += (header ? "<th>" : "<td>") + escape(cell) + (header ? "</th>" : "</td>");
    out += "</tr>\n";
    header = false;
  }
  return out + "</table></div>\n";
}

// The SVG document without its XML declaration, ready to sit inside HTML.
std::string inline_svg(std::string svg) {
  if (svg.rfind("<?xml", 0) == 0) svg.erase(0, svg.find("?>") + 2);
  return svg;
}

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 60em; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: right; }
th { background: #f0f0f0; } figure { margin: 1em 0; } figcaption { color: #666; font-size: 0.9em; }
img { max-width: 100%; } .meta { color: #666; } .wide { overflow-x: auto; }
)";

}  // namespace

std::string html_report(const std::string& dir) {
  require(fs::is_directory(dir), dir + ": no such run folder");
  const std::string config_text = io::read_file(dir + "/config.json");
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(config_text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(dir + "/config.json: not valid JSON (" + e.what() + ")");
  }
  run::LoadedRun run = run::load_run(dir);
  const std::string name = run.cfg.name;

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>aekit run " +
                  escape(name) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<h1>Run " + escape(name) + "</h1>\n<p class=\"meta\">folder " + escape(dir) + "</p>\n";
  h += "<h2>Config</h2>\n<pre>" + escape(config.dump(2)) + "</pre>\n";

  h += "<h2>Loss conventions</h2>\n<pre>";
  for (const std::string& line : run::loss_conventions(run.cfg, *run.model)) h += escape(line) + "\n";
  h += "</pre>\n";

  const std::string metrics = dir + "/metrics.csv";
  h += "<h2>Metrics</h2>\n";
  if (fs::exists(metrics)) {
    h += metrics_table(io::read_file(metrics));
    h += "<h2>Loss per epoch</h2>\n<figure>" +
         inline_svg(loss_curve_figure(metrics, name + ": loss per epoch").svg()) + "</figure>\n";
  } else {
    h += "<p>No metrics.csv in the folder (no epoch finished yet).</p>\n";
  }

  std::vector<std::string> pngs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".png") pngs.push_back(e.path().filename().string());
  std::sort(pngs.begin(), pngs.end());
  h += "<h2>Figures</h2>\n";
  if (pngs.empty()) h += "<p>No PNG figures in the folder.</p>\n";
  for (const std::string& f : pngs)
    h += "<figure><img alt=\"" + escape(f) + "\" src=\"data:image/png;base64," +
         io::base64_encode(io::read_file(dir + "/" + f)) + "\"><figcaption>" + escape(f) +
         "</figcaption></figure>\n";
  return h + "</body>\n</html>\n";
}

std::string write_html_report(const std::string& dir) {
  const std::string page = html_report(dir);
  io::write_file_atomic(dir + "/report.html", page);
  return dir + "/report.html";
}

}  // namespace aekit::report
