// For the server's tests: a briefly trained run, and a ModelServer on a free port of 127.0.0.1
// running in a thread for the test's lifetime.
#pragma once
#include <aekit/aekit.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "serve/server.h"
#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace aekit::testing {

// A run of `config` (configs/*.json) trained for `epochs` on 256 MNIST samples into dir/name.
inline std::string tiny_run(const ScratchDir& dir, const std::string& config, const std::string& name = "run",
                            int epochs = 1) {
  aekit::TrainSettings s;
  s.config = source_path("configs/" + config);
  s.data = source_path("data/mnist");
  s.out_dir = dir / name;
  s.limit = 256;
  s.epochs = epochs;
  aekit::train_run(s);
  return s.out_dir;
}

class ServerUnderTest {
 public:
  explicit ServerUnderTest(serve::ServeOptions options) {
    options.port = 0;
    if (options.snapshot.explorer_points == 2000) options.snapshot.explorer_points = 300;
    server_ = std::make_unique<serve::ModelServer>(std::move(options));
    thread_ = std::thread([this] { server_->run(); });
  }
  explicit ServerUnderTest(const std::string& run_dir) : ServerUnderTest(options_for(run_dir)) {}
  ~ServerUnderTest() {
    server_->stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
    c->set_read_timeout(30, 0);
    return c;
  }
  static serve::ServeOptions options_for(const std::string& run_dir) {
    serve::ServeOptions o;
    o.run_dir = run_dir;
    return o;
  }

 private:
  std::unique_ptr<serve::ModelServer> server_;
  std::thread thread_;
};

// A deterministic MNIST-like input: n samples of 784 values in [0, 1].
inline std::vector<float> pattern_inputs(int64_t n, int salt = 0) {
  std::vector<float> x(n * 784);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37 + salt * 11) % 255) / 255.0f;
  return x;
}

inline std::string json_rows(const std::vector<float>& v, int64_t per) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < v.size(); i += per) rows.push_back(std::vector<float>(v.begin() + i, v.begin() + i + per));
  return rows.dump();
}

}  // namespace aekit::testing
